import Foundation
import Testing
import Telemetry

extension SampleSnapshot {
    /// `bpagent observe`: a TCP client socket (sends c2s) and a unix datagram receiver whose
    /// queue is full, held by known processes; one --pid target has exited.
    static let observed: MetricsSnapshot = {
        let tcp = StreamSnapshot(
            identity: StreamIdentity(id: 1, proto: "tcp", local: "127.0.0.1:5201", peer: "127.0.0.1:40000",
                                     owner: SocketOwner(pid: 4242, comm: "iperf3", inode: 31337)),
            state: .open, openedAtMicros: 1_700_000_001_000_000,
            c2s: DirectionSnapshot(bytes: 1_000_000), s2c: DirectionSnapshot(bytes: 37),
            observed: ObservedSnapshot(sendDirection: .c2s, sendQueueBytes: 4096, sendLimitBytes: 16384, receiveQueueBytes: 0,
                                       receiveLimitBytes: 131_072, drops: 0,
                                       tcp: ObservedTCP(sndbufLimitedMicros: 1_500_000, rwndLimitedMicros: 250,
                                                        busyMicros: 2_000_000, notsentBytes: 512, retransmits: 3, rttMicros: 41,
                                                        cwnd: 10, deliveryRateBytesPerSecond: 125_000_000)))
        let unix = StreamSnapshot(
            identity: StreamIdentity(id: 2, proto: "unixgram", local: "/run/rx.sock", peer: "",
                                     owner: SocketOwner(pid: nil, comm: "", inode: 7)),
            state: .open, openedAtMicros: 1_700_000_002_000_000,
            observed: ObservedSnapshot(sendDirection: .s2c, receiveQueueBytes: 8448, receiveLimitBytes: 212_992, drops: 2,
                                       datagrams: ObservedDatagramQueue(datagrams: 11, limit: 10, fullMicros: 1_250_000)))
        return MetricsSnapshot(agent: AgentSnapshot(startTimeMicros: 1_700_000_000_000_000, takenAtMicros: 1_700_000_010_000_000),
                               streams: [tcp, unix],
                               observer: ObserverSnapshot(processes: [(4242, true), (99, false)], polls: 100, pollMicros: 25_000))
    }()
}

@Suite struct ObservedWriterTests {
    let text = String(decoding: PrometheusTextWriter.render(SampleSnapshot.observed), as: UTF8.self)

    func lines(_ prefix: String) -> [Substring] {
        text.split(separator: "\n").filter { $0.hasPrefix(prefix + "{") || $0.hasPrefix(prefix + " ") }
    }

    @Test func identityCarriesTheOwner() {
        #expect(lines("bpagent_stream_info") == [
            #"bpagent_stream_info{stream="1",proto="tcp",local="127.0.0.1:5201",peer="127.0.0.1:40000",pid="4242",comm="iperf3",inode="31337"} 1"#,
            #"bpagent_stream_info{stream="2",proto="unixgram",local="/run/rx.sock",peer="",pid="",comm="",inode="7"} 1"#,
        ])
    }

    @Test func kernelFiguresByDirection() {
        #expect(lines("bpagent_observed_sndbuf_limited_seconds_total") == [#"bpagent_observed_sndbuf_limited_seconds_total{stream="1",dir="c2s"} 1.5"#])
        #expect(lines("bpagent_observed_rtt_seconds") == [#"bpagent_observed_rtt_seconds{stream="1",dir="c2s"} 0.000041"#])
        #expect(lines("bpagent_observed_queue_bytes") == [
            #"bpagent_observed_queue_bytes{stream="1",dir="c2s"} 4096"#, #"bpagent_observed_queue_bytes{stream="1",dir="s2c"} 0"#,
            #"bpagent_observed_queue_bytes{stream="2",dir="s2c"} 0"#, #"bpagent_observed_queue_bytes{stream="2",dir="c2s"} 8448"#,
        ])
        #expect(lines("bpagent_observed_drops_total") == [
            #"bpagent_observed_drops_total{stream="1",dir="s2c"} 0"#, #"bpagent_observed_drops_total{stream="2",dir="c2s"} 2"#,
        ])
        #expect(lines("bpagent_observed_queue_datagrams") == [#"bpagent_observed_queue_datagrams{stream="2",dir="c2s"} 11"#])
        #expect(lines("bpagent_observed_queue_full_seconds_total") == [#"bpagent_observed_queue_full_seconds_total{stream="2",dir="c2s"} 1.25"#])
        #expect(lines("bpagent_observed_process_running") == [
            #"bpagent_observed_process_running{pid="4242"} 1"#, #"bpagent_observed_process_running{pid="99"} 0"#,
        ])
    }

    /// Only bytes, and only for TCP: everything else the relay counts needs the data path.
    @Test func relayFamiliesLeftOut() {
        #expect(lines("bpagent_bytes_total") == [
            #"bpagent_bytes_total{stream="1",dir="c2s"} 1000000"#, #"bpagent_bytes_total{stream="1",dir="s2c"} 37"#,
        ])
        #expect(lines("bpagent_buffer_full_total").isEmpty)
        #expect(!text.contains("bpagent_stall_seconds_bucket{stream"))
    }

    @Test func exitSummaryHasNoRelayFigures() {
        #expect(SummaryText.render(SampleSnapshot.observed) == """
            bpagent summary: 0 streams, 0 connect failures, 0 stream errors
            stream 1 tcp 127.0.0.1:40000 → 127.0.0.1:5201 (iperf3 4242) [open]: c2s 1000000 bytes, s2c 37 bytes
            stream 2 unixgram  → /run/rx.sock [open]: c2s 0 bytes, s2c 0 bytes

            """)
    }

    @Test func jsonHasTheSameFigures() throws {
        let json = try JSONSerialization.jsonObject(with: Data(JSONWriter.render(SampleSnapshot.observed))) as! [String: Any]
        let streams = json["streams"] as! [[String: Any]]
        #expect(streams[0]["comm"] as? String == "iperf3")
        let observed = streams[0]["observed"] as! [String: Any]
        #expect((observed["tcp"] as! [String: Any])["sndbuf_limited_seconds"] as? Double == 1.5)
        #expect(((streams[1]["observed"] as! [String: Any])["datagrams"] as! [String: Any])["queued"] as? Int == 11)
        #expect(streams[1]["pid"] is NSNull)
    }
}
