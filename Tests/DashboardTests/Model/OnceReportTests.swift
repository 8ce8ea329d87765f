@testable import Dashboard
import Testing

@Suite struct OnceReportTests {
    @Test func textIsAnAlignedTable() {
        let text = OnceReport.text(definition: backpressure, store: fixtureStore())
        #expect(text == """
            stream  local → peer                      dir        now        avg  full/s  retry/s      p50      p99      max  queued  state
            2       127.0.0.1:5201 → 127.0.0.1:40002  c2s  24.0 Kb/s  24.0 Kb/s     0/s      0/s        –        –      0 s     0 B  closed
            1       127.0.0.1:5201 → 127.0.0.1:40001  c2s  8.00 Kb/s  8.00 Kb/s  2.00/s   5.00/s  1.00 ms  8.00 ms  8.00 ms   512 B  open
            1       127.0.0.1:5201 → 127.0.0.1:40001  s2c    800 b/s    800 b/s     0/s      0/s        –        –      0 s     0 B  open
            2       127.0.0.1:5201 → 127.0.0.1:40002  s2c      0 b/s      0 b/s     0/s      0/s        –        –      0 s     0 B  closed

            """)
    }

    @Test func jsonUsesBaseUnits() {
        let json = OnceReport.json(definition: backpressure, store: fixtureStore(),
                                   sources: [.init(source: "unix:/run/a.sock", name: "a", error: nil)], time: 12, intervalSeconds: 2)
        let lines = json.split(separator: "\n")
        #expect(lines.count == 8)
        #expect(lines[0] == #"{"schema": 1, "time_seconds": 12, "interval_seconds": 2, "sources": ["#)
        #expect(lines[1] == #"    {"source": "unix:/run/a.sock", "name": "a", "status": "ok", "error": null}"#)
        #expect(lines[4] == #"    {"source": "a", "stream": "1", "endpoints": "127.0.0.1:5201 → 127.0.0.1:40001", "dir": "c2s", "throughput_now_bytes_per_second": 1000, "throughput_avg_bytes_per_second": 1000, "buffer_full_per_second": 2, "retries_per_second": 5, "stall_p50_seconds": 0.001, "stall_p99_seconds": 0.008, "stall_max_seconds": 0.008, "queued_bytes": 512, "state": "open"},"#)
        let line = OnceReport.json(definition: backpressure, store: fixtureStore(),
                                   sources: [.init(source: "unix:/run/a.sock", name: "a", error: "connect: refused")],
                                   time: 12, intervalSeconds: 2, lineDepth: 0)
        #expect(line.split(separator: "\n").count == 1 && line.contains(#""status": "failed", "error": "connect: refused""#))
    }
}
