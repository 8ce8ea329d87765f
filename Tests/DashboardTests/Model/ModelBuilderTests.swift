@testable import Dashboard
import Testing

@Suite struct ModelBuilderTests {
    let ui = UIState(windowSlots: 2)

    func build(_ ui: UIState, sources: [String] = ["a"]) -> ScreenModel {
        ModelBuilder.build(definition: backpressure, store: fixtureStore(sources: sources),
                           sources: sources.map { SourceStatus(name: $0, health: .ok) }, ui: ui, now: 112)
    }

    func table(_ screen: ScreenModel) -> TableModel {
        guard case .table(let t) = screen.panels[2].content else { fatalError("panel 2 is not a table") }
        return t
    }

    func chart(_ screen: ScreenModel, _ index: Int) -> ChartModel {
        guard case .chart(let c) = screen.panels[index].content else { fatalError("panel \(index) is not a chart") }
        return c
    }

    @Test func headerHasTotalsAndUptime() {
        let screen = build(ui)
        #expect(screen.header.sources == [SourceStatus(name: "a", health: .ok, uptimeSeconds: 12)])
        #expect(screen.header.stats == [
            Stat(label: "c2s", value: 4000, unit: .bitsPerSecond, color: .green),
            Stat(label: "s2c", value: 100, unit: .bitsPerSecond, color: .blue),
            Stat(label: "buffer-full", value: 2, unit: .perSecond, color: .yellow),
            Stat(label: "retries", value: 5, unit: .perSecond, color: .yellow),
            // The largest stall any stream exported (8 ms), not a bucket bound (10 ms) nor a sum.
            Stat(label: "worst stall", value: 0.008, unit: .seconds, color: .yellow),
        ])
    }

    @Test func tableRowsAreSortedByThroughputWithClosedStreamsFaded() {
        // Stream 2's s2c moved nothing in the window: hidden, and said so, until `i`.
        let t = table(build(ui))
        #expect(t.rows.map(\.key) == ["a/2/c2s", "a/1/c2s", "a/1/s2c"])
        #expect(t.rows.map(\.faded) == [true, false, false])
        #expect(t.footnote == "1 idle row hidden (i: show)")
        var all = ui
        all.showIdle = true
        #expect(table(build(all)).rows.map(\.key) == ["a/2/c2s", "a/1/c2s", "a/1/s2c", "a/2/s2c"])
        #expect(table(build(all)).footnote == nil)
        #expect(t.sortColumn == 3 && t.sortDescending)
        let p50 = 0.001 / 2 * 2  // rank 2 of 4 in [0, 1 ms]
        // Interpolated, p99 would be 9.82 ms; no stall took over the exact max, 8 ms.
        let p99 = 0.008
        #expect(t.rows[1].cells == [
            .text("1"), .text("127.0.0.1:5201 → 127.0.0.1:40001"), .text("c2s"),
            .number(1000, .bitsPerSecond), .number(1000, .bitsPerSecond), .number(2, .perSecond), .number(5, .perSecond),
            .number(p50, .seconds), .number(p99, .seconds), .number(0.008, .seconds), .number(512, .bytes), .text("open"),
        ])
        #expect(table(build(all)).rows[3].cells[7] == .number(nil, .seconds))
    }

    @Test func sortByAnotherColumnAscendingAndBytes() {
        let t = table(build(UIState(sortColumn: 0, sortDescending: false, showBits: false, windowSlots: 2, showIdle: true)))
        #expect(t.rows.map(\.key) == ["a/1/c2s", "a/1/s2c", "a/2/c2s", "a/2/s2c"])
        #expect(t.rows[0].cells[3] == .number(1000, .bytesPerSecond))
    }

    @Test func chartsHaveTotalsMarkersAndNote() {
        let screen = build(ui)
        let throughput = chart(screen, 0)
        #expect(throughput.series == [ChartSeries(name: "c2s", values: [nil, 4000], times: [10, 12], color: .green),
                                      ChartSeries(name: "s2c", values: [nil, 100], times: [10, 12], color: .blue)])
        #expect(throughput.markers == [12])
        #expect(throughput.slotSeconds == 2)
        #expect(chart(screen, 1).note == "stall p99 8.00 ms, max 8.00 ms")
    }

    @Test func focusAddsTheStreamsSeries() {
        let throughput = chart(build(UIState(focusedStream: "a/1/c2s", windowSlots: 2)), 0)
        #expect(throughput.series.map(\.name) == ["c2s", "s2c", "1 c2s", "1 s2c"])
        #expect(throughput.series[2] == ChartSeries(name: "1 c2s", values: [nil, 1000], times: [10, 12], color: .cyan))
        #expect(throughput.series[3].values == [nil, 100])
    }

    @Test func severalSourcesPrefixStreams() {
        let t = table(build(UIState(sortColumn: 0, sortDescending: false, windowSlots: 2, showIdle: true), sources: ["a", "b"]))
        #expect(t.rows.map(\.key) == ["a/1/c2s", "a/1/s2c", "a/2/c2s", "a/2/s2c", "b/1/c2s", "b/1/s2c", "b/2/c2s", "b/2/s2c"])
        #expect(t.rows[4].cells[0] == .text("b/1"))
    }
}
