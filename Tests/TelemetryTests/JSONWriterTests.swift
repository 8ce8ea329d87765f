import Foundation
import Testing
import Telemetry

/// `/metrics.json` read back by a standard JSON parser, as a script would: valid JSON,
/// the documented keys, and exactly the snapshot's values in base units.
@Suite struct JSONWriterTests {
    let document: [String: Any]
    let streams: [[String: Any]]

    init() throws {
        let json = try JSONSerialization.jsonObject(with: Data(JSONWriter.render(SampleSnapshot.twoStreams)))
        document = try #require(json as? [String: Any])
        streams = try #require(document["streams"] as? [[String: Any]])
    }

    @Test func agentValues() {
        #expect(Set(document.keys) == ["start_time_seconds", "time_seconds", "streams_open", "streams_total",
                                        "connect_failures_total", "stream_errors_total", "flows_evicted_total",
                                        "flows_overflow_frames_total", "log_lines_dropped_total", "listening", "totals", "streams"])
        #expect(document["log_lines_dropped_total"] as? Int == 6)
        #expect(document["flows_evicted_total"] as? Int == 4)
        #expect(document["flows_overflow_frames_total"] as? Int == 5)
        #expect(document["start_time_seconds"] as? Double == 1_700_000_000.000123)
        #expect(document["time_seconds"] as? Double == 1_700_000_060.5)
        #expect(document["streams_open"] as? Int == 1)
        #expect(document["streams_total"] as? Int == 2)
        #expect(document["connect_failures_total"] as? Int == 3)
        #expect(document["stream_errors_total"] as? Int == 0)
        #expect(streams.count == 2)
    }

    /// Where the agent listens, so a dashboard can say where to point iperf3.
    @Test func listeningAddresses() {
        let listening = document["listening"] as? [[String: String]]
        #expect(listening == [["proto": "tcp", "address": "[::1]:5202", "host": "::1", "port": "5202"],
                              ["proto": "unixgram", "address": #"/run/vm "a".sock"#, "host": "", "port": ""]])
    }

    @Test func identityIsEscapedAndReadsBack() {
        let busy = streams[0]
        #expect(busy["stream"] as? String == "1")
        #expect(busy["proto"] as? String == "unixgram")
        #expect(busy["local"] as? String == #"/run/vm "a"\net.sock"#)
        #expect(busy["peer"] as? String == "helper\nB")
        #expect(busy["upstream_local"] as? String == "")
        #expect(busy["upstream_peer"] as? String == "/run/helper.sock")
        #expect(busy["state"] as? String == "open")
        #expect(busy["flow"] as? String == "vlan 7 udp 10.0.0.1:53 → 10.0.0.2:9")
        #expect(streams[1]["flow"] as? String == "")
        #expect(busy["opened_at_seconds"] as? Double == 1_700_000_001)
        #expect(busy["closed_at_seconds"] is NSNull)
        #expect(streams[1]["state"] as? String == "closed")
        #expect(streams[1]["closed_at_seconds"] as? Double == 1_700_000_003.000001)
    }

    @Test func directionValues() throws {
        let c2s = try #require(streams[0]["c2s"] as? [String: Any])
        #expect(c2s["bytes"] as? Int == 1_048_576)
        #expect(c2s["writes"] as? Int == 16)
        #expect(c2s["buffer_full"] as? [String: Int] == ["EAGAIN": 3, "ENOBUFS": 1])
        #expect(c2s["retries"] as? [String: Int] == ["EAGAIN": 7, "ENOBUFS": 64])
        #expect(c2s["drops"] as? [String: Int] == ["policy": 0, "retry_budget": 1, "send_error": 0, "too_large": 0, "no_stream": 0])
        #expect(c2s["dropped_bytes"] as? [String: Int] == [
            "policy": 0, "retry_budget": 1500, "send_error": 0, "too_large": 0, "no_stream": 0,
        ])
        #expect(c2s["frames_received"] as? Int == 18)
        #expect(c2s["received_bytes"] as? Int == 1_054_172)
        #expect(c2s["frames_malformed"] as? [String: Int] == ["truncated": 2, "malformed": 0])
        #expect(c2s["retry_seconds"] as? [String: Double] == ["spin": 0, "sleep": 2.0001, "wait": 0.000065])
        #expect(c2s["wait_recoveries"] as? [String: Int] == ["event": 2, "timer": 1])
        #expect(c2s["retries_per_event_max"] as? Int == 64)
        #expect(c2s["queued_bytes"] as? Int == 4096)
        let s2c = try #require(streams[0]["s2c"] as? [String: Any])
        #expect(s2c["bytes"] as? Int == 512)
        #expect(s2c["writes"] as? Int == 2)
        #expect(s2c["drops"] as? [String: Int] == ["policy": 0, "retry_budget": 0, "send_error": 1, "too_large": 2, "no_stream": 3])
        #expect(s2c["dropped_bytes"] as? [String: Int] == [
            "policy": 0, "retry_budget": 0, "send_error": 60, "too_large": 131_014, "no_stream": 30,
        ])
        #expect(c2s["kernel_drops"] as? Int == 0)
        #expect(s2c["kernel_drops"] as? Int == 9)
        #expect(s2c["frames_malformed"] as? [String: Int] == ["truncated": 0, "malformed": 1])
    }

    /// `totals` holds the agent's per-direction totals in the same shape as a stream's directions.
    @Test func totals() throws {
        let totals = try #require(document["totals"] as? [String: [String: Any]])
        #expect(totals["c2s"]?["bytes"] as? Int == 1_048_576)
        #expect(totals["c2s"]?["retries"] as? [String: Int] == ["EAGAIN": 7, "ENOBUFS": 64])
        #expect(totals["s2c"]?["dropped_bytes"] as? [String: Int] == ["policy": 0, "retry_budget": 0, "send_error": 60,
                                                                         "too_large": 131_014, "no_stream": 30])
        #expect(Set(totals["s2c"]?.keys ?? [:].keys) == Set(try #require(streams[0]["s2c"] as? [String: Any]).keys))
    }

    /// Buckets are cumulative with `le` in seconds, the last one `"+Inf"` (JSON has no infinity).
    @Test func stallHistogram() throws {
        let c2s = try #require(streams[0]["c2s"] as? [String: Any])
        let stall = try #require(c2s["stall_seconds"] as? [String: Any])
        #expect(stall["count"] as? Int == 4)
        #expect(stall["sum"] as? Double == 2.000165)
        #expect(stall["max"] as? Double == 2)
        let buckets = try #require(stall["buckets"] as? [[String: Any]])
        #expect(buckets.compactMap { $0["le"] as? Double } == [
            0.000001, 0.000002, 0.000005, 0.00001, 0.00002, 0.00005, 0.0001, 0.0002, 0.0005, 0.001, 0.002,
            0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10,
        ])
        #expect(buckets.last?["le"] as? String == "+Inf")
        #expect(buckets.compactMap { $0["count"] as? Int } == [0, 0, 1, 1, 1, 1, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 4, 4, 4, 4])
    }
}
