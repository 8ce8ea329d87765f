@testable import Dashboard
import Telemetry
import Testing

/// "Longest" and "worst" figures are the largest across series, never their sum; quantiles
/// never exceed the exact maximum the agent exports.
@Suite struct AggregationTests {
    static let stalls = """
        # TYPE bpagent_stall_max_seconds gauge
        bpagent_stall_max_seconds{stream="1",dir="c2s"} 0.244
        bpagent_stall_max_seconds{stream="1",dir="s2c"} 0.010
        bpagent_stall_max_seconds{stream="2",dir="c2s"} 0.002
        bpagent_stall_max_seconds{stream="3",dir="c2s"} 0.120

        """
    let s = store(source: "agent", [(1, stalls), (2, stalls)])

    @Test func maxMinAndAvgCombineAcrossSeries() {
        func figure(_ a: Aggregation, _ by: [String] = []) -> [Double?] {
            s.evaluate(Query(metric: "bpagent_stall_max_seconds", sumBy: by, aggregate: a), slots: 1).map(\.current)
        }
        #expect(figure(.max) == [0.244])
        #expect(figure(.min) == [0.002])
        #expect(figure(.sum) == [0.376])
        #expect(figure(.avg) == [0.094])
        #expect(figure(.max, ["dir"]) == [0.244, 0.010])
    }

    @Test func aGapDoesNotCountInTheMean() {
        let gappy = store(source: "agent", [(1, "x{a=\"1\"} 4\nx{a=\"2\"} 8\n"), (2, "x{a=\"1\"} 6\n")])
        #expect(values(gappy, Query(metric: "x", sumBy: [], aggregate: .avg), slots: 2) == [6, 6])
    }

    @Test func aQuantileIsCappedByTheExactMax() throws {
        // 10 stalls between 0.1 s and 1 s: p99 interpolates to 0.991 s, but none took over 0.442 s.
        func scrape(_ count: Int) -> String {
            """
            # TYPE bpagent_stall_seconds histogram
            bpagent_stall_seconds_bucket{stream="1",le="0.1"} 0
            bpagent_stall_seconds_bucket{stream="1",le="1"} \(count)
            bpagent_stall_seconds_bucket{stream="1",le="+Inf"} \(count)
            bpagent_stall_seconds_count{stream="1"} \(count)
            # TYPE bpagent_stall_max_seconds gauge
            bpagent_stall_max_seconds{stream="1"} \(count == 0 ? 0 : 0.442)

            """
        }
        let h = store(source: "agent", [(1, scrape(0)), (2, scrape(10))])
        let free = Query(metric: "bpagent_stall_seconds", sumBy: ["stream"], quantile: 0.99)
        let raw = try #require(h.evaluate(free, slots: 1).first)
        #expect(raw.current! > 0.9)
        var capped = free
        capped.atMost = "bpagent_stall_max_seconds"
        let result = try #require(h.evaluate(capped, slots: 1).first)
        #expect(result.current == 0.442 && result.window == 0.442)
    }

    @Test func theDashboardFormatReadsAggregateAndAtMost() throws {
        let q = try Query(json: Array(#"{"metric":"m","sumBy":[],"aggregate":"max","quantile":0.5,"atMost":"m_max"}"#.utf8))
        #expect(q == Query(metric: "m", sumBy: [], aggregate: .max, quantile: 0.5, atMost: "m_max"))
        #expect(throws: DefinitionError.self) { try Query(json: Array(#"{"metric":"m","aggregate":"median"}"#.utf8)) }
    }
}

/// Any exporter: gauges are shown as values, units follow the metric names, and every row of a
/// top-K table has all its figures.
@Suite struct GenericExporterTests {
    static func scrape(_ t: Int) -> String {
        """
        # TYPE node_load1 gauge
        node_load1 \(Double(t) / 10)
        # TYPE node_memory_free_bytes gauge
        node_memory_free_bytes 2000000000
        # TYPE node_network_receive_bytes_total counter
        node_network_receive_bytes_total{device="eth0"} \(t * 1_000_000)
        # TYPE node_cpu_seconds_total counter
        node_cpu_seconds_total{mode="idle"} \(Double(t) * 0.5)
        \((0..<40).map { "# TYPE c\($0)_total counter\nc\($0)_total \(t * $0)\n" }.joined())
        """
    }

    @Test func gaugesAndUnitsAndEveryFigure() throws {
        let s = store(source: "node", [(0, Self.scrape(0)), (1, Self.scrape(1)), (2, Self.scrape(2))])
        let definition = try DashboardResolver.load("prometheus-generic", executablePath: "/nonexistent/bptop")
        let model = ModelBuilder.build(definition: definition, store: s, sources: [SourceStatus(name: "node", health: .ok)],
                                       ui: UIState(windowSlots: 3), now: 2)
        guard case .table(let counters) = model.panels[1].content, case .table(let gauges) = model.panels[2].content else {
            Issue.record("no tables"); return
        }
        func row(_ t: TableModel, _ series: String) -> [TableCell]? { t.rows.first { $0.cells[0] == .text(series) }?.cells }
        #expect(row(counters, #"node_network_receive_bytes_total{device="eth0"}"#)?[1] == .number(1_000_000, .bitsPerSecond))
        #expect(DisplayUnit.auto.resolved(forMetric: "node_cpu_seconds_total", rate: true) == .count)
        #expect(DisplayUnit.auto.resolved(forMetric: "request_duration_seconds", rate: false) == .seconds)
        #expect(row(counters, "c39_total")?[1] == .number(39, .perSecond))
        #expect(row(gauges, "node_load1")?[1] == .number(0.2, .count))
        #expect(row(gauges, "node_memory_free_bytes")?[1] == .number(2_000_000_000, .bytes))
        // Every row of the top 20 has its average and max (they came from the rows' own series).
        #expect(counters.rows.count == 20 && counters.rows.allSatisfy { row in
            row.cells[2] != .number(nil, row.cells[2].unit) && row.cells[3] != .number(nil, row.cells[3].unit)
        })
    }
}

private extension TableCell {
    var unit: DisplayUnit {
        if case .number(_, let u) = self { return u }
        return .count
    }
}

/// A row shows its own series: two series of one metric where one label set is a subset of the
/// other are two rows, each with its own figures (issue 18's wrong numbers).
@Suite struct SubsetLabelSetTests {
    @Test func eachRowShowsItsOwnSeries() throws {
        func scrape(_ t: Int) -> String {
            """
            # TYPE x_total counter
            x_total{a="1"} \(t * 1000)
            x_total{a="1",b="2"} \(t * 5)
            # TYPE my_summary summary
            my_summary_count{n1="val1"} 42
            my_summary_count{n2="val2",n1="val1"} 5

            """
        }
        let s = store(source: "e", [(0, scrape(0)), (1, scrape(1)), (2, scrape(2))])
        let definition = try DashboardResolver.load("prometheus-generic", executablePath: "/nonexistent/bptop")
        let model = ModelBuilder.build(definition: definition, store: s, sources: [SourceStatus(name: "e", health: .ok)],
                                       ui: UIState(windowSlots: 3), now: 2)
        guard case .table(let counters) = model.panels[1].content else { Issue.record("no table"); return }
        func cells(_ series: String) -> [TableCell]? { counters.rows.first { $0.cells[0] == .text(series) }?.cells }
        #expect(cells(#"x_total{a="1"}"#)?[1...3] == [.number(1000, .perSecond), .number(1000, .perSecond), .number(1000, .perSecond)])
        #expect(cells(#"x_total{a="1",b="2"}"#)?[1...3] == [.number(5, .perSecond), .number(5, .perSecond), .number(5, .perSecond)])
        let json = OnceReport.json(definition: definition, store: s, sources: [], time: 2, intervalSeconds: 1)
        #expect(json.contains(#"{"source": "e", "series": "x_total{a=\"1\",b=\"2\"}", "rate_per_second": 5, "average_per_second": 5, "max_per_second": 5}"#))
    }
}
