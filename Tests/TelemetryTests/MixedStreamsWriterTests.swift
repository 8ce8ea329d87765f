import Testing
import Telemetry

/// Each per-stream family lists only the streams of the kinds that have it (the frames-only
/// families: datagram flows; an observed socket: bytes, and only for TCP), and the writer
/// gathers every stream's values in one pass before writing family by family: a stream's lines
/// in a render of streams of every kind, interleaved, must be exactly its lines rendered alone.
@Suite struct MixedStreamsWriterTests {
    static func renumbered(_ stream: StreamSnapshot, _ id: UInt64) -> StreamSnapshot {
        var stream = stream
        stream.identity.id = id
        return stream
    }

    /// A byte stream with the busy stream's counts (its frame counts are not exported).
    static let busyTCP: StreamSnapshot = {
        var stream = renumbered(SampleSnapshot.busyStream, 5)
        stream.identity = StreamIdentity(id: 5, proto: "tcp", local: "127.0.0.1:5201", peer: "127.0.0.1:40002",
                                         upstreamLocal: "127.0.0.1:40003", upstreamPeer: "127.0.0.1:5202")
        return stream
    }()

    static let streams = [
        busyTCP, SampleSnapshot.busyStream, SampleSnapshot.closedStream,
        renumbered(SampleSnapshot.observed.streams[0], 3), renumbered(SampleSnapshot.observed.streams[1], 4),
        renumbered(SampleSnapshot.busyStream, 6),
    ]

    static func streamLines(_ text: [UInt8], _ id: UInt64) -> [Substring] {
        String(decoding: text, as: UTF8.self).split(separator: "\n").filter { $0.contains("{stream=\"\(id)\"") }
    }

    @Test(arguments: [false, true]) func aStreamsLinesAmongOthersAreItsLinesAlone(openMetrics: Bool) {
        func render(_ streams: [StreamSnapshot]) -> [UInt8] {
            let snapshot = MetricsSnapshot(agent: SampleSnapshot.agent, streams: streams)
            return openMetrics ? OpenMetricsWriter.render(snapshot) : PrometheusTextWriter.render(snapshot)
        }
        let all = render(Self.streams)
        for stream in Self.streams {
            let id = stream.identity.id
            #expect(Self.streamLines(all, id) == Self.streamLines(render([stream]), id), "stream \(id)")
        }
        // Info and state, 14 samples per direction and two histograms of 25 lines; a datagram
        // flow has 15 more samples per direction; the observed TCP socket its bytes and kernel figures.
        #expect(Self.streamLines(all, 5).count == 2 + 2 * 14 + 2 * 25)
        #expect(Self.streamLines(all, 6).count == 2 + 2 * 29 + 2 * 25)
        #expect(Self.streamLines(all, 5).contains(#"bpagent_retries_total{stream="5",dir="c2s",errno="ENOBUFS"} 64"#))
        #expect(Self.streamLines(all, 3).contains(#"bpagent_bytes_total{stream="3",dir="s2c"} 37"#))
        #expect(!Self.streamLines(all, 4).contains { $0.hasPrefix("bpagent_bytes_total") })
    }
}
