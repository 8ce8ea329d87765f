@testable import Dashboard
import Telemetry
import Testing

/// What a row shows is the truth: ids sort as numbers, and a stream's state is its newest.
@Suite struct RowTruthTests {
    private func once(_ streams: [(id: String, state: String, c2s: DirectionFixture, s2c: DirectionFixture)],
                      then later: [(id: String, state: String, c2s: DirectionFixture, s2c: DirectionFixture)]) throws -> [[String]] {
        var store = TimeSeriesStore(capacity: 10)
        store.ingest(source: "a", exposition: PrometheusTextParser.parse(agentScrape(streams).utf8), at: 10)
        store.ingest(source: "a", exposition: PrometheusTextParser.parse(agentScrape(later).utf8), at: 12)
        let definition = try DashboardResolver.load("backpressure", executablePath: "/nonexistent/bptop")
        return OnceReport.text(definition: definition, store: store).split(separator: "\n").dropFirst()
            .map { $0.split(separator: " ").map(String.init) }
    }

    @Test func idsSortAsNumbers() throws {
        let idle = ["1", "2", "10", "11", "3"].map { (id: $0, state: "open", c2s: DirectionFixture(), s2c: DirectionFixture()) }
        let rows = try once(idle, then: idle)
        #expect(rows.map { $0[0] + " " + $0[4] } == ["1 c2s", "1 s2c", "2 c2s", "2 s2c", "3 c2s", "3 s2c",
                                                      "10 c2s", "10 s2c", "11 c2s", "11 s2c"])
    }

    @Test func theStateShownIsTheNewest() throws {
        let open = [(id: "1", state: "open", c2s: DirectionFixture(), s2c: DirectionFixture())]
        let reset = [(id: "1", state: "reset", c2s: DirectionFixture(), s2c: DirectionFixture())]
        #expect(try once(open, then: reset).map { $0.last! } == ["reset", "reset"])
        #expect(try once(reset, then: open).map { $0.last! } == ["open", "open"])
    }

    @Test(arguments: [("9", "10", true), ("10", "9", false), ("a2", "a10", true), ("127.0.0.1:9", "127.0.0.1:40001", true),
                      ("007", "7", true), ("7", "007", false), ("x", "x", false), ("b", "a10", false)])
    func naturalOrder(a: String, b: String, less: Bool) {
        #expect(NaturalOrder.less(a, b) == less)
    }
}
