import Testing
import Telemetry

/// Renders a bumped registry and reads it back with the parser: every series must come
/// back with exactly the value that was counted.
@Suite struct PrometheusTextWriterRoundTripTests {
    let parsed = PrometheusTextParser.parse(
        PrometheusTextWriter.render(SampleSnapshot.bumpedRegistry().snapshot(nowMicros: 1_700_000_004_000_000)))

    /// Every series, keyed `name{label=value,…}` in written order; all those not listed are 0.
    @Test func everySeriesReadsBackExactly() {
        #expect(parsed.skippedLines == 0)
        // 8 agent-wide, 2 × 54 agent totals, 2 stream_info, 2 stream_state, 39 per direction of
        // the TCP stream and 54 per direction of the datagram flow.
        #expect(parsed.samples.count == 8 + 2 * 54 + 2 + 2 + 2 * 39 + 2 * 54)
        let series = Dictionary(parsed.samples.map { (Self.key($0), $0.value) }, uniquingKeysWith: { first, _ in first })
        #expect(series.count == parsed.samples.count)
        let expected: [String: Double] = [
            "bpagent_start_time_seconds{}": 1_700_000_000.5,
            "bpagent_streams_open{}": 1,
            "bpagent_streams_total{}": 2,
            "bpagent_connect_failures_total{}": 1,
            "bpagent_flows_evicted_total{}": 6,
            "bpagent_flows_overflow_frames_total{}": 8,
            "bpagent_stream_info{stream=1,proto=tcp,local=127.0.0.1:5201,peer=127.0.0.1:40000,upstream_local=,upstream_peer=}": 1,
            "bpagent_stream_info{stream=2,proto=udp,local=10.0.0.2:53,peer=10.0.0.1:5353,upstream_local=,upstream_peer=,flow=udp 10.0.0.1:5353 → 10.0.0.2:53}": 1,
            "bpagent_stream_state{stream=1}": 1,
            "bpagent_stream_state{stream=2}": 3,
            "bpagent_agent_bytes_total{dir=c2s}": 4500,
            "bpagent_agent_bytes_total{dir=s2c}": 100,
            "bpagent_agent_writes_total{dir=c2s}": 3,
            "bpagent_agent_writes_total{dir=s2c}": 1,
            "bpagent_agent_buffer_full_total{dir=c2s,errno=ENOBUFS}": 2,
            "bpagent_agent_buffer_full_total{dir=s2c,errno=EAGAIN}": 1,
            "bpagent_agent_retries_total{dir=c2s,errno=ENOBUFS}": 5,
            "bpagent_agent_retries_total{dir=s2c,errno=EAGAIN}": 1,
            "bpagent_agent_drops_total{dir=c2s,reason=retry_budget}": 1,
            "bpagent_agent_drops_total{dir=s2c,reason=send_error}": 1,
            "bpagent_agent_dropped_bytes_total{dir=c2s,reason=retry_budget}": 1500,
            "bpagent_agent_dropped_bytes_total{dir=s2c,reason=send_error}": 90,
            "bpagent_agent_stall_max_seconds{dir=c2s}": 0.0127,
            "bpagent_agent_stall_max_seconds{dir=s2c}": 2,
            "bpagent_agent_retries_per_event_max{dir=c2s}": 4,
            "bpagent_agent_retries_per_event_max{dir=s2c}": 1,
            "bpagent_agent_queued_bytes{dir=c2s}": 3000,
            "bpagent_agent_frames_received_total{dir=s2c}": 3,
            "bpagent_agent_received_bytes_total{dir=s2c}": 300_170,
            "bpagent_agent_drops_total{dir=s2c,reason=too_large}": 1,
            "bpagent_agent_dropped_bytes_total{dir=s2c,reason=too_large}": 300_000,
            "bpagent_agent_wait_recoveries_total{dir=s2c,how=timer}": 1,
            "bpagent_agent_kernel_drops_total{dir=c2s}": 42,
            "bpagent_agent_frames_received_total{dir=c2s}": 2,
            "bpagent_agent_received_bytes_total{dir=c2s}": 65_519,
            "bpagent_agent_drops_total{dir=c2s,reason=too_large}": 1,
            "bpagent_agent_dropped_bytes_total{dir=c2s,reason=too_large}": 65_507,
            "bpagent_agent_drops_total{dir=c2s,reason=no_stream}": 1,
            "bpagent_agent_dropped_bytes_total{dir=c2s,reason=no_stream}": 12,
            "bpagent_agent_frames_malformed_total{dir=s2c,defect=truncated}": 1,
            "bpagent_agent_retry_seconds_total{dir=c2s,how=spin}": 0.012705,
            "bpagent_agent_retry_seconds_total{dir=s2c,how=wait}": 0.000007,
            "bpagent_agent_stall_seconds_sum{dir=c2s}": 0.012705,
            "bpagent_agent_stall_seconds_count{dir=c2s}": 2,
            "bpagent_agent_stall_seconds_sum{dir=s2c}": 2,
            "bpagent_agent_stall_seconds_count{dir=s2c}": 1,
            "bpagent_frames_received_total{stream=2,dir=s2c}": 3,
            "bpagent_received_bytes_total{stream=2,dir=s2c}": 300_170,
            "bpagent_drops_total{stream=2,dir=s2c,reason=too_large}": 1,
            "bpagent_dropped_bytes_total{stream=2,dir=s2c,reason=too_large}": 300_000,
            "bpagent_wait_recoveries_total{stream=2,dir=s2c,how=timer}": 1,
            "bpagent_frames_malformed_total{stream=2,dir=s2c,defect=truncated}": 1,
            "bpagent_drops_total{stream=2,dir=s2c,reason=send_error}": 1,
            "bpagent_dropped_bytes_total{stream=2,dir=s2c,reason=send_error}": 90,
            "bpagent_frames_received_total{stream=2,dir=c2s}": 2,
            "bpagent_received_bytes_total{stream=2,dir=c2s}": 65_519,
            "bpagent_drops_total{stream=2,dir=c2s,reason=too_large}": 1,
            "bpagent_dropped_bytes_total{stream=2,dir=c2s,reason=too_large}": 65_507,
            "bpagent_drops_total{stream=2,dir=c2s,reason=no_stream}": 1,
            "bpagent_dropped_bytes_total{stream=2,dir=c2s,reason=no_stream}": 12,
            "bpagent_kernel_drops_total{stream=2,dir=c2s}": 42,
            "bpagent_retry_seconds_total{stream=2,dir=s2c,how=wait}": 0.000007,
            "bpagent_retry_seconds_total{stream=1,dir=c2s,how=spin}": 0.012705,
            "bpagent_bytes_total{stream=1,dir=c2s}": 4500,
            "bpagent_bytes_total{stream=1,dir=s2c}": 100,
            "bpagent_writes_total{stream=1,dir=c2s}": 3,
            "bpagent_writes_total{stream=1,dir=s2c}": 1,
            "bpagent_buffer_full_total{stream=1,dir=c2s,errno=ENOBUFS}": 2,
            "bpagent_buffer_full_total{stream=2,dir=s2c,errno=EAGAIN}": 1,
            "bpagent_retries_total{stream=1,dir=c2s,errno=ENOBUFS}": 5,
            "bpagent_retries_total{stream=2,dir=s2c,errno=EAGAIN}": 1,
            "bpagent_drops_total{stream=2,dir=c2s,reason=retry_budget}": 1,
            "bpagent_dropped_bytes_total{stream=2,dir=c2s,reason=retry_budget}": 1500,
            "bpagent_stall_seconds_sum{stream=1,dir=c2s}": 0.012705,
            "bpagent_stall_seconds_count{stream=1,dir=c2s}": 2,
            "bpagent_stall_seconds_sum{stream=2,dir=s2c}": 2,
            "bpagent_stall_seconds_count{stream=2,dir=s2c}": 1,
            "bpagent_stall_max_seconds{stream=1,dir=c2s}": 0.0127,
            "bpagent_stall_max_seconds{stream=2,dir=s2c}": 2,
            "bpagent_retries_per_event_max{stream=1,dir=c2s}": 4,
            "bpagent_retries_per_event_max{stream=2,dir=s2c}": 1,
            "bpagent_queued_bytes{stream=1,dir=c2s}": 3000,
        ]
        .merging(Self.buckets("bpagent_stall_seconds", "stream=1,dir=c2s", [0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2])) { $1 }
        .merging(Self.buckets("bpagent_stall_seconds", "stream=2,dir=s2c", [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1])) { $1 }
        .merging(Self.buckets("bpagent_agent_stall_seconds", "dir=c2s", [0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2])) { $1 }
        .merging(Self.buckets("bpagent_agent_stall_seconds", "dir=s2c", [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1])) { $1 }
        #expect(series.filter { $0.value != 0 } == expected)
    }

    /// Per stream-direction: bounds ascending up to +Inf, counts cumulative, `_count` equal
    /// to the +Inf bucket.
    @Test(arguments: ["1", "2", nil], ["c2s", "s2c"])
    func histogramsAreCumulative(stream: String?, dir: String) throws {
        let family = stream == nil ? "bpagent_agent_stall_seconds" : "bpagent_stall_seconds"
        let series = parsed.samples.filter { $0[label: "stream"] == stream && $0[label: "dir"] == dir }
        let buckets = series.filter { $0.name == family + "_bucket" }
        let bounds = try buckets.map { try #require(Double($0[label: "le"] ?? "")) }
        #expect(buckets.count == StallBuckets.count)
        #expect(bounds == bounds.sorted() && bounds.last == .infinity)
        #expect(buckets.map(\.value) == buckets.map(\.value).sorted())
        #expect(series.first { $0.name == family + "_count" }?.value == buckets.last?.value)
    }

    /// The exported contract: each family's declared type, and every sample in a declared family.
    @Test func familiesAndTypes() {
        #expect(parsed.families.mapValues(\.type) == [
            "bpagent_start_time_seconds": .gauge, "bpagent_streams_open": .gauge,
            "bpagent_streams_total": .counter, "bpagent_connect_failures_total": .counter,
            "bpagent_stream_errors_total": .counter, "bpagent_stream_info": .gauge, "bpagent_stream_state": .gauge,
            "bpagent_bytes_total": .counter, "bpagent_writes_total": .counter,
            "bpagent_buffer_full_total": .counter, "bpagent_retries_total": .counter,
            "bpagent_drops_total": .counter, "bpagent_dropped_bytes_total": .counter,
            "bpagent_stall_seconds": .histogram, "bpagent_stall_max_seconds": .gauge,
            "bpagent_retries_per_event_max": .gauge, "bpagent_queued_bytes": .gauge,
            "bpagent_flows_evicted_total": .counter, "bpagent_flows_overflow_frames_total": .counter,
            "bpagent_frames_received_total": .counter, "bpagent_received_bytes_total": .counter,
            "bpagent_frames_malformed_total": .counter, "bpagent_retry_seconds_total": .counter,
            "bpagent_kernel_drops_total": .counter,
            "bpagent_log_lines_dropped_total": .counter, "bpagent_wait_recoveries_total": .counter,
            "bpagent_agent_bytes_total": .counter, "bpagent_agent_writes_total": .counter,
            "bpagent_agent_buffer_full_total": .counter, "bpagent_agent_retries_total": .counter,
            "bpagent_agent_drops_total": .counter, "bpagent_agent_dropped_bytes_total": .counter,
            "bpagent_agent_stall_seconds": .histogram, "bpagent_agent_stall_max_seconds": .gauge,
            "bpagent_agent_retries_per_event_max": .gauge, "bpagent_agent_queued_bytes": .gauge,
            "bpagent_agent_frames_received_total": .counter, "bpagent_agent_received_bytes_total": .counter,
            "bpagent_agent_frames_malformed_total": .counter, "bpagent_agent_retry_seconds_total": .counter,
            "bpagent_agent_kernel_drops_total": .counter, "bpagent_agent_wait_recoveries_total": .counter,
        ])
        #expect(parsed.samples.allSatisfy { parsed.family(of: $0).help != nil })
    }

    private static func key(_ sample: PrometheusSample) -> String {
        sample.name + "{" + sample.labels.map { $0.name + "=" + $0.value }.joined(separator: ",") + "}"
    }

    /// The non-zero `_bucket` series of one stream-direction, from 23 cumulative counts.
    private static func buckets(_ family: String, _ labels: String, _ counts: [Double]) -> [String: Double] {
        let bounds = ["0.000001", "0.000002", "0.000005", "0.00001", "0.00002", "0.00005", "0.0001", "0.0002",
                      "0.0005", "0.001", "0.002", "0.005", "0.01", "0.02", "0.05", "0.1",
                      "0.2", "0.5", "1", "2", "5", "10", "+Inf"]
        return Dictionary(uniqueKeysWithValues: zip(bounds, counts).filter { $0.1 != 0 }.map { bound, count in
            ("\(family)_bucket{\(labels),le=\(bound)}", count)
        })
    }
}
