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
