/// A bordered box centred over the screen listing the key bindings, then what the columns
/// mean; it clears what is under it and is cut to the screen when the terminal is small.
struct HelpOverlay: Widget {
    var bindings: [(keys: String, action: String)]
    var legend: [(column: String, meaning: String)] = []

    func render(into buffer: inout CellBuffer, area: Rect, symbols: SymbolSet) {
        let pairs = bindings.map { ($0.keys, $0.action) } + (legend.isEmpty ? [] : [("", "")] + legend.map { ($0.column, $0.meaning) })
        let keysWidth = pairs.map(\.0.displayWidth).max() ?? 0
        let lines = pairs.map { (" " + $0.0.fitted(to: keysWidth, ellipsis: symbols.ellipsis), "  " + $0.1 + " ") }
        let contentWidth = lines.map { $0.0.displayWidth + $0.1.displayWidth }.max() ?? 0
        let width = min(area.width, max(contentWidth, 10) + 2)
        let height = min(area.height, lines.count + 2)
        let box = Rect(x: area.x + (area.width - width) / 2, y: area.y + (area.height - height) / 2,
                       width: width, height: height)
        buffer.fill(box)
        Panel(title: "Help").render(into: &buffer, area: box, symbols: symbols)
        let inner = box.inner
        for (index, (keys, action)) in lines.prefix(inner.height).enumerated() {
            let isKey = index < bindings.count
            let x = buffer.put(keys, x: inner.x, y: inner.y + index, style: Style(fg: isKey ? .cyan : .default, bold: true),
                               maxWidth: inner.width)
            buffer.put(action, x: x, y: inner.y + index, maxWidth: inner.maxX - x)
        }
    }
}
