@testable import Dashboard
import SeededRandom
import Telemetry
import Testing

/// A grouped query's per-slot sums are carried from frame to frame and only the newest slots
/// added: every frame must equal a store that never evaluated before (no carried sums), through
/// gaps, NaN, resets, restarts, frames that skip scrapes or repeat one, and copies of the store.
@Suite struct RunningGroupsTests {
    static let queries = [
        Query(metric: "x_total", rate: true, sumBy: []),
        Query(metric: "x_total", rate: true, sumBy: ["s"]),
        Query(metric: "x_total", rate: true, sumBy: [], aggregate: .avg),
        Query(metric: "x_total", rate: true, sumBy: ["d"], aggregate: .max),
        Query(metric: "g", sumBy: [], aggregate: .min),
        // Histograms: their bucket sums are carried too.
        Query(metric: "h", sumBy: [], quantile: 0.5),
        Query(metric: "h", sumBy: ["s"], quantile: 0.99),
    ]

    /// Scrapes of three streams: counters that grow, reset or restart, a gauge, a stream that
    /// goes quiet (NaN) and failed scrapes.
    private func scrapes(seed: UInt64, count: Int) -> [String?] {
        var random = SeededGenerator(seed: seed)
        var counters = [0.0, 0.0, 0.0]
        var start = 100.0
        return (0..<count).map { _ -> String? in
            if Int.random(in: 0..<12, using: &random) == 0 { return nil }
            if Int.random(in: 0..<20, using: &random) == 0 { start += 1 }
            var text = "# TYPE bpagent_start_time_seconds gauge\nbpagent_start_time_seconds \(start)\n# TYPE x_total counter\n"
            for s in 0..<3 {
                counters[s] = Int.random(in: 0..<15, using: &random) == 0 ? 0 : counters[s] + Double(Int.random(in: 0..<5_000, using: &random))
                let value = Int.random(in: 0..<10, using: &random) == 0 ? "NaN" : "\(counters[s])"
                text += "x_total{s=\"\(s)\",d=\"\(s % 2)\"} \(value)\n"
            }
            text += "# TYPE g gauge\ng{s=\"0\"} \(Int.random(in: -5..<5, using: &random))\n"
            // Buckets that follow the counters (a reset resets them too), some left standing.
            text += "# TYPE h histogram\n"
            for s in 0..<2 {
                for (le, share) in [("0.1", 0.0), ("1", 0.25), ("+Inf", 0.5)] {
                    text += "h_bucket{s=\"\(s)\",le=\"\(le)\"} \((counters[s] * share).rounded(.down))\n"
                }
            }
            return text
        }
    }

    private func feed(_ store: inout TimeSeriesStore, _ scrape: String?, at time: Double) {
        if let scrape {
            store.ingest(source: "a", exposition: PrometheusTextParser.parse(scrape.utf8), at: time)
        } else {
            store.recordFailure(source: "a", at: time)
        }
    }

    private func same(_ a: [QueryResult], _ b: [QueryResult]) -> Bool {
        a.map(\.labels) == b.map(\.labels)
            && a.map { $0.values.map { $0?.bitPattern } } == b.map { $0.values.map { $0?.bitPattern } }
            && a.map { $0.window?.bitPattern } == b.map { $0.window?.bitPattern }
    }

    @Test(arguments: [(UInt64(1), 1), (2, 1), (3, 2), (4, 3), (5, 7), (6, 13)])
    func everyFrameEqualsAFreshEvaluation(seed: UInt64, every: Int) {
        let all = scrapes(seed: seed, count: 40)
        var store = TimeSeriesStore(capacity: 12)
        for (i, scrape) in all.enumerated() {
            feed(&store, scrape, at: Double(i))
            guard i % every == 0 else { continue }
            var fresh = TimeSeriesStore(capacity: 12)
            for (j, earlier) in all.prefix(i + 1).enumerated() { feed(&fresh, earlier, at: Double(j)) }
            for query in Self.queries {
                for slots in [1, 4, 10] {
                    // Twice: the second frame repeats the slot (nothing new to add).
                    for _ in 0..<2 {
                        #expect(same(store.evaluate(query, slots: slots), fresh.evaluate(query, slots: slots)),
                                "seed \(seed) scrape \(i) \(query.metric) \(query.sumBy ?? []) slots \(slots)")
                    }
                }
            }
        }
    }

    @Test func aCopyThatMovesOnDoesNotLendItsSumsToAnother() {
        let all = scrapes(seed: 9, count: 12)
        var base = TimeSeriesStore(capacity: 12)
        for (i, scrape) in all.prefix(10).enumerated() { feed(&base, scrape, at: Double(i)) }
        let query = Self.queries[0]
        _ = base.evaluate(query, slots: 4)
        var left = base, right = base
        feed(&left, all[10], at: 10)
        feed(&right, all[11], at: 10)
        _ = left.evaluate(query, slots: 4)
        var fresh = TimeSeriesStore(capacity: 12)
        for (i, scrape) in all.prefix(10).enumerated() { feed(&fresh, scrape, at: Double(i)) }
        feed(&fresh, all[11], at: 10)
        #expect(same(right.evaluate(query, slots: 4), fresh.evaluate(query, slots: 4)))
    }
}
