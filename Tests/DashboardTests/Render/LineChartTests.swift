import Testing
@testable import Dashboard

@Suite struct LineChartTests {
    /// Slots 1 s apart, the newest at now = 100 s, over a span of `span` seconds (the slots' own by default).
    private func render(_ series: [[Double?]], markers: [Bool] = [], unit: DisplayUnit = .count, span: Double? = nil,
                        width: Int, height: Int, symbols: SymbolSet) -> CellBuffer {
        let times = { (n: Int) in (0..<n).map { 100 - Double(n - 1 - $0) } }
        let chart = ChartModel(
            unit: unit,
            series: series.enumerated().map {
                ChartSeries(name: "s\($0.offset)", values: $0.element, times: times($0.element.count), color: $0.offset == 0 ? .green : .cyan)
            },
            markers: zip(markers, times(markers.count)).compactMap { $0 ? $1 : nil }, slotSeconds: 1,
            now: 100, spanSeconds: span ?? Double((series.map(\.count).max() ?? 1) - 1))
        return draw(width: width, height: height) { LineChart(chart: chart).render(into: &$0, area: $1, symbols: symbols) }
    }

    /// Events at the first and the last of 16 slots.
    private let endMarkers = [true] + Array(repeating: false, count: 14) + [true]

    @Test func risingLineInBraille() {
        let buffer = render([RenderFixtures.rising(16)], markers: endMarkers, width: 20, height: 8, symbols: .unicode)
        expectSnapshot(TextBackend.render(buffer), """
               s0
            20│
              │              ⣀⠤⠒
            10│        ⢀⡠⠔⠒⠊⠉
              │    ⣀⠤⠒⠉⠁
             0│⡠⠔⠒⠉
               ◆               ◆
                  -10s       now
            """)
        expectSnapshot(TextBackend.renderColors(buffer), """
            ...gg

            .................ggg
            ...........gggggg
            .......ggggg
            ...gggg
            ...r...............r

            """)
    }

    @Test func risingLineInASCII() {
        let buffer = render([RenderFixtures.rising(16)], markers: endMarkers, width: 20, height: 8, symbols: .ascii)
        expectSnapshot(TextBackend.render(buffer), """
               s0
            20|
              |              ***
            10|        ******
              |   *****
             0|***
               !               !
                   -10s      now
            """)
    }

    @Test func aGapLeavesBlankColumnsAndIsNotBridged() {
        let values: [Double?] = [4, 4, 4, 4, nil, nil, nil, nil, 8, 8, 8, 8]
        expectSnapshot(TextBackend.render(render([values], width: 12, height: 5, symbols: .unicode)), """
               s0
            10│      ⠤⠤⠤
             5│⣀⣀⣀
             0│
                     now
            """)
        expectSnapshot(TextBackend.render(render([values], width: 17, height: 5, symbols: .ascii)), """
               s0
            10|         *****
             5|*****
             0|
               -10s       now
            """)
    }

    @Test func zerosSitOnTheBottomRowAndMissingDataDrawsNothing() {
        let zeros: [Double?] = Array(repeating: 0, count: 8)
        let missing: [Double?] = Array(repeating: nil, count: 8)
        expectSnapshot(TextBackend.render(render([zeros, missing], unit: .bitsPerSecond, width: 16, height: 5, symbols: .unicode)), """
                    s0  s1
              1 b/s│
            0.5 b/s│
                  0│⣀⣀⣀⣀⣀⣀⣀⣀
                         now
            """)
    }

    @Test func laterSeriesColourSharedCellsAndTheLegendNamesThem() {
        let buffer = render([[0, 2, 4, 6], [6, 4, 2, 0]], width: 10, height: 4, symbols: .unicode)
        expectSnapshot(TextBackend.render(buffer), """
               s0  s1
            10│⣀    ⢀⣀
             0│⣀⠭⠭⠒⠭⢅⣀
                   now
            """)
        expectSnapshot(TextBackend.renderColors(buffer), """
            ...ggcccc
            ...c....gg
            ...gcccccc

            """)
    }
}
