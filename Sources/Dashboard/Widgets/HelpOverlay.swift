/// A bordered box centred over the screen listing key bindings; it clears what is under it
/// and is cut to the screen when the terminal is small.
struct HelpOverlay: Widget {
    var bindings: [(keys: String, action: String)]

    func render(into buffer: inout CellBuffer, area: Rect, symbols: SymbolSet) {
        let keysWidth = bindings.map(\.keys.count).max() ?? 0
        let lines = bindings.map { (" " + $0.keys.fitted(to: keysWidth, ellipsis: symbols.ellipsis), "  " + $0.action + " ") }
        let contentWidth = lines.map { $0.0.count + $0.1.count }.max() ?? 0
        let width = min(area.width, max(contentWidth, 10) + 2)
        let height = min(area.height, lines.count + 2)
        let box = Rect(x: area.x + (area.width - width) / 2, y: area.y + (area.height - height) / 2,
                       width: width, height: height)
        buffer.fill(box)
        Panel(title: "Help").render(into: &buffer, area: box, symbols: symbols)
        let inner = box.inner
        for (index, (keys, action)) in lines.prefix(inner.height).enumerated() {
            let x = buffer.put(keys, x: inner.x, y: inner.y + index, style: Style(fg: .cyan, bold: true), maxWidth: inner.width)
            buffer.put(action, x: x, y: inner.y + index, maxWidth: inner.maxX - x)
        }
    }
}
