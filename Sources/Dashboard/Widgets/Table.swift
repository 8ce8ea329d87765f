/// The per-stream table: a bold header with the sort arrow, one line per row (numbers formatted
/// by their unit and right-aligned), the selection in reverse video, closed streams dim, and the
/// footnote on the last lines (one per line of its text, as many as leave a row visible). It scrolls so the selected row is always on screen.
struct Table: Widget {
    var table: TableModel

    func render(into buffer: inout CellBuffer, area: Rect, symbols: SymbolSet) {
        guard !area.isEmpty else { return }
        let widths = ColumnWidths.fit(table.columns, into: area.width)
        drawLine(headerTexts(symbols: symbols), widths: widths, into: &buffer, line: area.line(0),
                 style: Style(bold: true), symbols: symbols)

        let notes = (table.footnote?.split(separator: "\n").map(String.init) ?? []).prefix(max(0, area.height - 2))
        let visible = max(0, area.height - 1 - notes.count)
        let selected = table.rows.firstIndex { $0.key == table.selectedKey }
        let first = selected.map { max(0, $0 - visible + 1) } ?? 0
        for (line, index) in (first..<min(table.rows.count, first + visible)).enumerated() {
            let row = table.rows[index]
            let style = Style(dim: row.faded, reverse: index == selected)
            drawLine(row.cells.map(Self.text), widths: widths, into: &buffer, line: area.line(1 + line),
                     style: style, symbols: symbols)
        }
        for (i, note) in notes.enumerated() {
            buffer.put(note.fitted(to: area.width, ellipsis: symbols.ellipsis), x: area.x, y: area.maxY - notes.count + i,
                       style: Style(dim: true))
        }
    }

    /// Column titles, the sorted one with ▲ (ascending) or ▼ (descending) on its inner side.
    private func headerTexts(symbols: SymbolSet) -> [(String, alignRight: Bool)] {
        table.columns.enumerated().map { index, column in
            guard index == table.sortColumn else { return (column.title, column.alignRight) }
            let arrow = String(table.sortDescending ? symbols.sortDescending : symbols.sortAscending)
            return (column.alignRight ? arrow + column.title : column.title + arrow, column.alignRight)
        }
    }

    private static func text(_ cell: TableCell) -> (String, alignRight: Bool) {
        switch cell {
        case .text(let text): (text, false)
        case .number(let value, let unit): (ValueFormatter.string(value, unit: unit), true)
        }
    }

    /// One full-width line (so reverse video spans the row), each text fitted to its column.
    private func drawLine(_ texts: [(String, alignRight: Bool)], widths: [Int], into buffer: inout CellBuffer,
                          line: Rect, style: Style, symbols: SymbolSet) {
        buffer.fill(line, with: Cell(style: style))
        var x = line.x
        for (index, width) in widths.enumerated() where width > 0 {
            let (text, textAlignsRight) = index < texts.count ? texts[index] : ("", false)
            let alignRight = textAlignsRight || table.columns[index].alignRight
            x = buffer.put(text.fitted(to: width, alignRight: alignRight, ellipsis: symbols.ellipsis),
                           x: x, y: line.y, style: style) + 1
        }
    }
}
