import Testing
import Telemetry
@testable import Recording

/// The exports of a small recording, line for line.
@Suite struct ExportTests {
    static func recording() throws -> TemporaryRecording {
        let file = TemporaryRecording()
        let writer = try RecordingWriter(path: file.path, start: file.start())
        let bodies = [
            """
            # HELP bpagent_bytes_total Bytes delivered.
            # TYPE bpagent_bytes_total counter
            bpagent_bytes_total{stream="1",dir="c2s"} 1000
            bpagent_bytes_total{stream="1",dir="s2c"} 10
            # TYPE bpagent_retries_total counter
            bpagent_retries_total{stream="1",dir="c2s",errno="EAGAIN"} 2
            bpagent_retries_total{stream="1",dir="c2s",errno="ENOBUFS"} 3
            # TYPE bpagent_stall_max_seconds gauge
            bpagent_stall_max_seconds{stream="1",dir="c2s"} 0.0125
            # TYPE bpagent_stall_seconds histogram
            bpagent_stall_seconds_bucket{stream="1",dir="c2s",le="0.001"} 1
            bpagent_stall_seconds_bucket{stream="1",dir="c2s",le="+Inf"} 2
            bpagent_stall_seconds_sum{stream="1",dir="c2s"} 0.5
            bpagent_stall_seconds_count{stream="1",dir="c2s"} 2

            """,
            """
            # TYPE bpagent_bytes_total counter
            bpagent_bytes_total{stream="1",dir="c2s"} 3000
            bpagent_bytes_total{stream="1",dir="s2c"} 10
            bpagent_retries_total{stream="1",dir="c2s",errno="EAGAIN"} 4
            weird_untyped{path="a,\\"b\\""} NaN

            """,
        ]
        for (i, body) in bodies.enumerated() {
            writer.scrape(source: 0, exposition: PrometheusTextParser.parse(Array(body.utf8)), at: 1_764_680_001.5 + Double(i) * 0.5)
            writer.flush()
        }
        writer.finish(at: 1_764_680_003)
        return file
    }

    static func text(_ write: ((borrowing ByteWriter) -> Bool) throws -> Void) rethrows -> String {
        var out: [UInt8] = []
        try write { w in
            out += w.bytes
            return true
        }
        return String(decoding: out, as: UTF8.self)
    }

    @Test func openMetricsGroupsFamiliesWithTimestamps() throws {
        let file = try Self.recording()
        var outcome: OpenMetricsExport.Outcome?
        let text = try Self.text { outcome = try OpenMetricsExport.write(file.path, to: $0) }
        #expect(outcome?.problem == nil)
        #expect(outcome?.seriesLeftOut == 0)
        #expect(text == """
            # TYPE bpagent_bytes counter
            # HELP bpagent_bytes Bytes delivered.
            bpagent_bytes_total{dir="c2s",instance="agent",stream="1"} 1000.0 1764680001.500000
            bpagent_bytes_total{dir="c2s",instance="agent",stream="1"} 3000.0 1764680002.000000
            bpagent_bytes_total{dir="s2c",instance="agent",stream="1"} 10.0 1764680001.500000
            bpagent_bytes_total{dir="s2c",instance="agent",stream="1"} 10.0 1764680002.000000
            # TYPE bpagent_retries counter
            bpagent_retries_total{dir="c2s",errno="EAGAIN",instance="agent",stream="1"} 2.0 1764680001.500000
            bpagent_retries_total{dir="c2s",errno="EAGAIN",instance="agent",stream="1"} 4.0 1764680002.000000
            bpagent_retries_total{dir="c2s",errno="ENOBUFS",instance="agent",stream="1"} 3.0 1764680001.500000
            # TYPE bpagent_stall_max_seconds gauge
            bpagent_stall_max_seconds{dir="c2s",instance="agent",stream="1"} 0.0125 1764680001.500000
            # TYPE bpagent_stall_seconds histogram
            bpagent_stall_seconds_bucket{dir="c2s",instance="agent",le="0.001",stream="1"} 1.0 1764680001.500000
            bpagent_stall_seconds_bucket{dir="c2s",instance="agent",le="+Inf",stream="1"} 2.0 1764680001.500000
            bpagent_stall_seconds_sum{dir="c2s",instance="agent",stream="1"} 0.5 1764680001.500000
            bpagent_stall_seconds_count{dir="c2s",instance="agent",stream="1"} 2.0 1764680001.500000
            # TYPE weird_untyped unknown
            weird_untyped{instance="agent",path="a,\\"b\\""} NaN 1764680002.000000
            # EOF

            """)
    }

    @Test func csvHasARowPerScrapePerStreamDirection() throws {
        let file = try Self.recording()
        var problem: String? = "not written"
        let text = try Self.text { problem = try CSVExport.write(file.path, to: $0) }
        #expect(problem == nil)
        #expect(text == """
            time_seconds,source,stream,dir,bytes,throughput_bytes_per_second,writes,buffer_full_events,retries,retries_per_event_max,stall_max_seconds,retry_seconds,drops,queued_bytes,retransmits
            1764680001.500000,agent,1,c2s,1000.0,,,,5.0,,0.0125,,,,
            1764680001.500000,agent,1,s2c,10.0,,,,,,,,,,
            1764680002.000000,agent,1,c2s,3000.0,4000.0,,,4.0,,,,,,
            1764680002.000000,agent,1,s2c,10.0,0.0,,,,,,,,,

            """)
    }
}
