@testable import Dashboard
import Telemetry
import Testing

/// Grouping plans are kept across frames while the store's series stay the same: every
/// change of the series (a new one, an evicted one, a changed type) must show in the next
/// evaluation, and a copy of a store must never read a plan made for another layout.
@Suite struct LayoutPlansTests {
    private func ingest(_ store: inout TimeSeriesStore, _ text: String, at time: Double, source: String = "a") {
        store.ingest(source: source, exposition: PrometheusTextParser.parse((text + "\n").utf8), at: time)
    }

    private let byStream = Query(metric: "x", sumBy: ["s"])

    private func sums(_ store: TimeSeriesStore, _ query: Query) -> [String: Double?] {
        Dictionary(uniqueKeysWithValues: store.evaluate(query, slots: 1).map { ($0[label: "s"] ?? "", $0.current) })
    }

    @Test func aNewSeriesJoinsItsGroupAtTheNextEvaluation() {
        var store = TimeSeriesStore(capacity: 10)
        ingest(&store, #"x{s="1",d="a"} 1"#, at: 1)
        #expect(sums(store, byStream) == ["1": 1])
        ingest(&store, #"x{s="1",d="a"} 2"#, at: 2)
        #expect(sums(store, byStream) == ["1": 2])
        // A new member of group 1 and a new group 2: the plan made above must not be used.
        ingest(&store, "x{s=\"1\",d=\"a\"} 3\nx{s=\"1\",d=\"b\"} 10\nx{s=\"2\",d=\"a\"} 7", at: 3)
        #expect(sums(store, byStream) == ["1": 13, "2": 7])
        #expect(store.evaluate(byStream, slots: 1).map { $0[label: "s"] } == ["1", "2"])
    }

    @Test func anEvictedSeriesLeavesItsGroup() {
        var store = TimeSeriesStore(capacity: 2)
        ingest(&store, "x{s=\"1\",d=\"a\"} 1\nx{s=\"2\",d=\"a\"} 5", at: 1)
        #expect(sums(store, byStream) == ["1": 1, "2": 5])
        for t in 2...4 { ingest(&store, #"x{s="1",d="a"} 1"#, at: Double(t)) }
        #expect(sums(store, byStream) == ["1": 1])
    }

    @Test func seriesEvictedAcrossFailedScrapesAreGone() {
        var store = TimeSeriesStore(capacity: 2)
        ingest(&store, "x{s=\"1\",d=\"a\"} 1\nx{s=\"2\",d=\"a\"} 5", at: 1)
        #expect(sums(store, byStream) == ["1": 1, "2": 5])
        for t in 2...3 { store.recordFailure(source: "a", at: Double(t)) }
        #expect(store.seriesCount == 0)
        #expect(store.evaluate(byStream, slots: 1).isEmpty)
        #expect(store.evaluate(Query(metric: "x"), slots: 1).isEmpty)
    }

    @Test func aSeriesReplacedByAnotherIsNotReadUnderTheOldName() {
        // As many series before as after (the plan's own count check cannot tell): only the
        // store's new layout token can.
        var store = TimeSeriesStore(capacity: 3)
        ingest(&store, #"x{s="1",d="a"} 1"#, at: 1)
        #expect(sums(store, byStream) == ["1": 1])
        for t in 2...4 { ingest(&store, #"x{s="2",d="a"} 5"#, at: Double(t)) }
        #expect(store.seriesCount == 1)
        #expect(sums(store, byStream) == ["2": 5])
    }

    @Test func aHistogramsNewBucketSeriesCountsInItsQuantile() throws {
        let q = Query(metric: "h", sumBy: ["s"], quantile: 0.5)
        var store = TimeSeriesStore(capacity: 10)
        let one = "# TYPE h histogram\nh_bucket{s=\"1\",le=\"1\"} %d\nh_bucket{s=\"1\",le=\"+Inf\"} %d"
        ingest(&store, String(format: one, 0, 0), at: 1)
        ingest(&store, String(format: one, 4, 4), at: 2)
        #expect(store.evaluate(q, slots: 1).map(\.current) == [0.5])
        // Stream 2 appears with all its observations in (1, 2]: its own group, median 1.5.
        let two = String(format: one, 4, 4) + "\nh_bucket{s=\"2\",le=\"1\"} 0\nh_bucket{s=\"2\",le=\"2\"} 0\nh_bucket{s=\"2\",le=\"+Inf\"} 0"
        ingest(&store, two, at: 3)
        let three = String(format: one, 4, 4) + "\nh_bucket{s=\"2\",le=\"1\"} 0\nh_bucket{s=\"2\",le=\"2\"} 6\nh_bucket{s=\"2\",le=\"+Inf\"} 6"
        ingest(&store, three, at: 4)
        let results = store.evaluate(q, slots: 1)
        #expect(results.map { $0[label: "s"] } == ["1", "2"])
        #expect(results.map(\.current) == [nil, 1.5])
    }

    @Test func copiesThatChangeApartKeepTheirOwnGroups() {
        var base = TimeSeriesStore(capacity: 10)
        ingest(&base, #"x{s="1",d="a"} 1"#, at: 1)
        #expect(sums(base, byStream) == ["1": 1])
        var left = base, right = base
        ingest(&left, "x{s=\"1\",d=\"a\"} 1\nx{s=\"1\",d=\"b\"} 2", at: 2)
        ingest(&right, "x{s=\"1\",d=\"a\"} 1\nx{s=\"3\",d=\"b\"} 4", at: 2)
        // Both copies share one plan cache; each sees its own series.
        #expect(sums(left, byStream) == ["1": 3])
        #expect(sums(right, byStream) == ["1": 1, "3": 4])
        #expect(sums(left, byStream) == ["1": 3])
        #expect(sums(base, byStream) == ["1": 1])
    }

    @Test func aTableRowAppearsForANewStreamAndReadsItsOwnFigures() throws {
        let definition = try DashboardResolver.load("backpressure", executablePath: "/nonexistent/bptop")
        func rows(_ store: TimeSeriesStore) -> [String] {
            OnceReport.text(definition: definition, store: store).split(separator: "\n").dropFirst()
                .map { $0.split(separator: " ").joined(separator: " ") }
        }
        func scrape(_ streams: [(String, String, Int)]) -> String {
            agentScrape(streams.map { (id: $0.0, state: $0.1, c2s: DirectionFixture(bytes: $0.2), s2c: DirectionFixture()) })
        }
        var store = TimeSeriesStore(capacity: 10)
        store.ingest(source: "a", exposition: PrometheusTextParser.parse(scrape([("1", "open", 0)]).utf8), at: 10)
        store.ingest(source: "a", exposition: PrometheusTextParser.parse(scrape([("1", "open", 1000)]).utf8), at: 11)
        let before = rows(store)
        #expect(before.count == 2 && before.allSatisfy { $0.hasPrefix("1 ") && $0.hasSuffix(" open") })
        // Stream 2 appears, closed: two more rows, each reading stream 2's own state (a column per
        // stream, not per direction) and bytes.
        store.ingest(source: "a", exposition: PrometheusTextParser.parse(scrape([("1", "open", 2000), ("2", "closed", 0)]).utf8), at: 12)
        store.ingest(source: "a", exposition: PrometheusTextParser.parse(scrape([("1", "open", 3000), ("2", "closed", 500)]).utf8), at: 13)
        let after = rows(store)
        #expect(after == ["1 127.0.0.1:5201 → 127.0.0.1:40001 c2s 8.00 Kb/s 8.00 Kb/s 0/s 0/s – – 0 s 0 B open",
                          "2 127.0.0.1:5201 → 127.0.0.1:40002 c2s 4.00 Kb/s 4.00 Kb/s 0/s 0/s – – 0 s 0 B closed",
                          "1 127.0.0.1:5201 → 127.0.0.1:40001 s2c 0 b/s 0 b/s 0/s 0/s – – 0 s 0 B open",
                          "2 127.0.0.1:5201 → 127.0.0.1:40002 s2c 0 b/s 0 b/s 0/s 0/s – – 0 s 0 B closed"])
    }
}
