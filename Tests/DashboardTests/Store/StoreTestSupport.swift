@testable import Dashboard
import Telemetry

/// A store fed with Prometheus text at given times; nil text records a failed scrape. Each
/// text gets the final newline a scrape body ends with (a last line without one is not read).
func store(capacity: Int = 10, source: String = "a", _ scrapes: [(Double, String?)]) -> TimeSeriesStore {
    var store = TimeSeriesStore(capacity: capacity)
    for (time, text) in scrapes {
        if let text {
            store.ingest(source: source, exposition: PrometheusTextParser.parse((text + "\n").utf8), at: time)
        } else {
            store.recordFailure(source: source, at: time)
        }
    }
    return store
}

/// The single result's values of `query` over `slots`.
func values(_ store: TimeSeriesStore, _ query: Query, slots: Int) -> [Double?] {
    let results = store.evaluate(query, slots: slots)
    precondition(results.count == 1, "expected one result, got \(results.count)")
    return results[0].values
}

let bytesRate = Query(metric: "bpagent_bytes_total", rate: true)

/// A deterministic generator (SplitMix64), so a random test that fails repeats. (The same as
/// TelemetryTests' own: test targets share no code.)
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
