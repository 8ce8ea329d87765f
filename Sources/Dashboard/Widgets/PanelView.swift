/// One dashboard panel: the frame, and inside it the widget its content calls for.
struct PanelView: Widget {
    var panel: PanelModel

    func render(into buffer: inout CellBuffer, area: Rect, symbols: SymbolSet) {
        var note: String?
        if case .chart(let chart) = panel.content { note = chart.note }
        Panel(title: panel.title, note: note).render(into: &buffer, area: area, symbols: symbols)
        let inner = area.inner
        switch panel.content {
        case .chart(let chart): LineChart(chart: chart).render(into: &buffer, area: inner, symbols: symbols)
        case .table(let table): Table(table: table).render(into: &buffer, area: inner, symbols: symbols)
        case .stats(let stats): StatsLine(stats: stats).render(into: &buffer, area: inner, symbols: symbols)
        case .text(let text):
            for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).prefix(inner.height).enumerated() {
                buffer.put(line, x: inner.x, y: inner.y + index, maxWidth: inner.width)
            }
        }
    }
}
