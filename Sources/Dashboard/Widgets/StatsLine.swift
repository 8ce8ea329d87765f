/// Headline numbers on one line, `label value` pairs with the value in the stat's colour;
/// pairs that do not fit are cut at the edge.
struct StatsLine: Widget {
    var stats: [Stat]

    func render(into buffer: inout CellBuffer, area: Rect, symbols: SymbolSet) {
        guard !area.isEmpty else { return }
        let spans = stats.enumerated().flatMap { index, stat in
            [Span((index == 0 ? "" : "   ") + stat.label + " "),
             Span(ValueFormatter.string(stat.value, unit: stat.unit), Style(fg: stat.color, bold: true))]
        }
        buffer.put(spans, x: area.x, y: area.y, maxWidth: area.width)
    }
}
