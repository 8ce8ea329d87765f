import Testing
@testable import Dashboard

/// Table cells that show a window's average evaluate without per-slot values; the figures
/// must be exactly those of the full evaluation.
@Suite struct WindowOnlyEvaluationTests {
    static let queries = [
        Query(metric: "bpagent_bytes_total", rate: true, sumBy: ["instance", "stream", "dir"]),
        Query(metric: "bpagent_bytes_total", rate: true, sumBy: []),
        Query(metric: "bpagent_stall_seconds", sumBy: ["instance", "stream", "dir"], quantile: 0.5),
        Query(metric: "bpagent_stall_seconds", sumBy: [], quantile: 0.99),
        Query(metric: "bpagent_queued_bytes"),
    ]

    @Test(arguments: queries)
    func windowFiguresEqualTheFullEvaluation(query: Query) {
        let store = fixtureStore()
        let full = store.evaluate(query, slots: 5)
        let windowOnly = store.evaluate(query, slots: 5, perSlot: false)
        #expect(windowOnly.map(\.labels) == full.map(\.labels))
        #expect(windowOnly.map(\.average) == full.map(\.average))
        #expect(!full.isEmpty && full.allSatisfy { $0.values.count == 5 })
        // Rates and quantiles skip their per-slot values; raw values keep them (their average is their mean).
        #expect(windowOnly.allSatisfy { $0.values.count == (query.rate || query.quantile != nil ? 0 : 5) })
    }

    @Test func quantilesOfOneHistogramShareTheirBucketSumsInAFrame() {
        let memo = QueryMemo(store: fixtureStore())
        let p50 = memo.evaluate(Self.queries[2], slots: 5)
        let p99 = memo.evaluate(Query(metric: "bpagent_stall_seconds", sumBy: ["instance", "stream", "dir"], quantile: 0.99), slots: 5)
        #expect(p50 == fixtureStore().evaluate(Self.queries[2], slots: 5))
        #expect(p99.map(\.labels) == p50.map(\.labels))
        #expect(zip(p50, p99).allSatisfy { ($0.window ?? 0) <= ($1.window ?? 0) })
    }
}
