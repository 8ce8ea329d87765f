@testable import Dashboard
import Telemetry
import Testing

/// Every source sits on the time axis by its own timestamps, and the axis spans the window
/// (or the data there is, until the window is full).
@Suite struct ChartTimeTests {
    static let definition = try! DashboardDefinition(json: Array("""
        {"title": "t", "panels": [{"type": "chart", "title": "c", "placement": {"row": 0}, "unit": "bytes/s",
          "queries": [{"name": "agent", "query": {"metric": "bpagent_bytes_total", "rate": true, "sumBy": []}},
                      {"name": "iperf3", "query": {"metric": "iperf3_bytes_total", "rate": true, "sumBy": []}}]}]}
        """.utf8), file: "test")

    /// The agent scrapes at 0, 1, … 59 s; iperf3's intervals end at 0.5, 1.5, … 29.5 s and then stop.
    static func data() -> TimeSeriesStore {
        var store = TimeSeriesStore(capacity: 300)
        for t in 0..<60 {
            store.ingest(source: "agent", exposition: PrometheusTextParser.parse("bpagent_bytes_total \(t * 1000)\n".utf8), at: Double(t))
        }
        for t in 0..<30 {
            store.ingest(source: "iperf3", exposition: PrometheusTextParser.parse("iperf3_bytes_total \(t * 500)\n".utf8),
                         at: Double(t) + 0.5)
        }
        return store
    }

    private func chart(_ ui: UIState, now: Double = 59) -> ChartModel {
        let model = ModelBuilder.build(definition: Self.definition, store: Self.data(),
                                       sources: [SourceStatus(name: "agent", health: .ok)], ui: ui, now: now)
        guard case .chart(let chart) = model.panels[0].content else { preconditionFailure("not a chart") }
        return chart
    }

    @Test func eachSourceKeepsItsOwnTimes() {
        let c = chart(UIState(windowSlots: 60))
        #expect(c.series[0].times.last == 59 && c.series[0].values.last == 1000)
        // iperf3 stopped at 29.5 s: its newest point is there, not at the right edge.
        #expect(c.series[1].times.last == 29.5 && c.series[1].values.last == 500)
    }

    @Test func aStoppedSourceLeavesAGapUpToNow() {
        let c = chart(UIState(windowSlots: 60))
        let drawn = TextBackend.render(draw(width: 64, height: 6) { LineChart(chart: c).render(into: &$0, area: $1, symbols: .ascii) })
        let plot = drawn.split(separator: "\n").dropFirst().prefix(4)
        // The right half of the plot (after 29.5 s of 59) has only the agent's line.
        let lastColumns = plot.map { String(($0 + String(repeating: " ", count: 64 - $0.count)).suffix(20)) }
        #expect(lastColumns.filter { $0.contains("*") }.count == 1)
    }

    @Test func theWindowKeySetsTheSpan() {
        #expect(chart(UIState(windowSlots: 30)).spanSeconds == 29)
        // 300 slots wanted, 60 s of scrapes (the first rate is at 1 s): the axis spans the data there is.
        #expect(chart(UIState(windowSlots: 60)).spanSeconds == 58)
        #expect(chart(UIState(windowSlots: 300)).spanSeconds == 58)
        #expect(chart(UIState(windowSlots: 300), now: 100).spanSeconds == 99)
    }

    @Test func theTimeAxisFollowsTheWindow() {
        func axis(_ slots: Int) -> Substring {
            let c = chart(UIState(windowSlots: slots))
            return TextBackend.render(draw(width: 64, height: 6) { LineChart(chart: c).render(into: &$0, area: $1, symbols: .ascii) })
                .split(separator: "\n").last!
        }
        #expect(axis(30).contains("-10s") && !axis(30).contains("-30s"))
        #expect(axis(60).contains("-30s"))
    }
}
