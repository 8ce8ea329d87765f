@testable import Dashboard
import Telemetry

/// One stream direction's counters in a fixture scrape.
struct DirectionFixture {
    var bytes = 0
    var full = 0
    var retries = 0
    /// Cumulative counts for le = 0.001, 0.01, +Inf.
    var stall = [0, 0, 0]
    var stallMax = 0.0
    var queued = 0
}

/// bpagent-style text for streams `id → (state, c2s, s2c)`.
func agentScrape(start: Double = 100, _ streams: [(id: String, state: String, c2s: DirectionFixture, s2c: DirectionFixture)]) -> String {
    var text = "# TYPE bpagent_start_time_seconds gauge\nbpagent_start_time_seconds \(start)\n"
    for s in streams {
        text += "bpagent_stream_info{stream=\"\(s.id)\",proto=\"tcp\",local=\"127.0.0.1:5201\",peer=\"127.0.0.1:4000\(s.id)\"} 1\n"
        let code = ["connecting", "open", "half-closed", "closed", "reset", "failed"].firstIndex(of: s.state)!
        text += "bpagent_stream_state{stream=\"\(s.id)\"} \(code)\n"
        for (dir, d) in [("c2s", s.c2s), ("s2c", s.s2c)] {
            let l = "stream=\"\(s.id)\",dir=\"\(dir)\""
            text += "bpagent_bytes_total{\(l)} \(d.bytes)\nbpagent_buffer_full_total{\(l),errno=\"EAGAIN\"} \(d.full)\n"
            text += "bpagent_retries_total{\(l),errno=\"EAGAIN\"} \(d.retries)\nbpagent_stall_max_seconds{\(l)} \(d.stallMax)\n"
            text += "bpagent_queued_bytes{\(l)} \(d.queued)\n"
            for (le, count) in zip(["0.001", "0.01", "+Inf"], d.stall) {
                text += "bpagent_stall_seconds_bucket{\(l),le=\"\(le)\"} \(count)\n"
            }
        }
    }
    return text
}

/// Two scrapes 2 s apart: stream 1 open, moving 1000 B/s c2s with 2 buffer-full events/s;
/// stream 2 closed after 3000 B/s c2s.
func fixtureStore(sources: [String] = ["a"]) -> TimeSeriesStore {
    var store = TimeSeriesStore(capacity: 10)
    let before = agentScrape([("1", "open", DirectionFixture(), DirectionFixture()),
                              ("2", "open", DirectionFixture(), DirectionFixture())])
    let after = agentScrape([
        ("1", "open", DirectionFixture(bytes: 2000, full: 4, retries: 10, stall: [2, 4, 4], stallMax: 0.008, queued: 512),
         DirectionFixture(bytes: 200)),
        ("2", "closed", DirectionFixture(bytes: 6000), DirectionFixture()),
    ])
    for source in sources {
        store.ingest(source: source, exposition: PrometheusTextParser.parse(before.utf8), at: 10)
        store.ingest(source: source, exposition: PrometheusTextParser.parse(after.utf8), at: 12)
    }
    return store
}

let backpressure = try! DashboardResolver.load("backpressure", executablePath: "/nonexistent/bptop")
