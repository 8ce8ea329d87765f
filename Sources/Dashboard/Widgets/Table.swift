/// The per-stream table: a bold header with the sort arrow, one line per row (numbers formatted
/// by their unit and right-aligned, estimates after `~`), the selection in reverse video, closed
/// streams dim, the pinned rows (a summary's totals) under the others, and the footnote on the
/// last lines. When rows do not fit, the rest scroll so the selected row is on screen, and a dim
/// line under them says which are shown ("rows 1–14 of 16 ↓"): no row is ever hidden without a sign.
struct Table: Widget {
    var table: TableModel

    func render(into buffer: inout CellBuffer, area: Rect, symbols: SymbolSet) {
        guard !area.isEmpty else { return }
        let widths = ColumnWidths.fit(table.columns, into: area.width)
        drawLine(headerTexts(symbols: symbols), widths: widths, into: &buffer, line: area.line(0),
                 style: Style(bold: true), symbols: symbols)

        let notes = table.footnote?.split(separator: "\n").map(String.init) ?? []
        let pinned = min(max(table.pinnedRows, 0), table.rows.count)
        let scrolling = table.rows.count - pinned
        let selected = table.rows.firstIndex { $0.key == table.selectedKey }
        let lines = TableLines(scrolling: scrolling, pinned: pinned, notes: notes.count, height: area.height - 1,
                               selected: selected.flatMap { $0 < scrolling ? $0 : nil })
        var y = area.y + 1
        func drawRow(_ index: Int) {
            let row = table.rows[index]
            drawLine(row.cells.map(Self.text), widths: widths, into: &buffer, line: Rect(x: area.x, y: y, width: area.width, height: 1),
                     style: Style(dim: row.faded, reverse: index == selected), symbols: symbols)
            y += 1
        }
        lines.scrolled.forEach(drawRow)
        if lines.showsPosition {
            buffer.put(lines.positionText.fitted(to: area.width, ellipsis: symbols.ellipsis), x: area.x, y: y, style: Style(dim: true))
            y += 1
        }
        (scrolling..<scrolling + lines.pinnedShown).forEach(drawRow)
        for (i, note) in notes.prefix(lines.notesShown).enumerated() {
            buffer.put(note.fitted(to: area.width, ellipsis: symbols.ellipsis), x: area.x, y: area.maxY - lines.notesShown + i,
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
        case .estimate(let value, let unit): (TableCell.estimateMark + ValueFormatter.string(value, unit: unit), true)
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

/// Which of a table's lines fit under its header. When everything does not, the space goes
/// first to one scrolling row, then to the position line (rows are cut), the pinned rows, the
/// footnote, and last to more scrolling rows.
struct TableLines: Equatable {
    /// Indices of the scrolling rows shown.
    private(set) var scrolled: Range<Int>
    let scrolling: Int
    private(set) var pinnedShown: Int
    private(set) var notesShown: Int
    /// Rows are cut and the position line has its line.
    private(set) var showsPosition = false

    /// `height`: the lines under the header; `selected`: a scrolling row to keep on screen.
    init(scrolling: Int, pinned: Int, notes: Int, height: Int, selected: Int?) {
        self.scrolling = scrolling
        let height = max(0, height)
        guard scrolling + pinned + notes > height else {
            (scrolled, pinnedShown, notesShown) = (0..<scrolling, pinned, notes)
            return
        }
        var left = height
        let first = min(1, scrolling, left)
        left -= first
        showsPosition = scrolling > first && left > 0
        left -= showsPosition ? 1 : 0
        pinnedShown = min(pinned, left)
        left -= pinnedShown
        notesShown = min(notes, left)
        left -= notesShown
        let visible = first + min(scrolling - first, left)
        let start = selected.map { max(0, min($0 - visible + 1, scrolling - visible)) } ?? 0
        scrolled = start..<start + visible
    }

    /// "rows 1–14 of 16 ↓": ↑ when rows are hidden above, ↓ below.
    var positionText: String {
        let arrows = (scrolled.lowerBound > 0 ? "↑" : "") + (scrolled.upperBound < scrolling ? "↓" : "")
        return "rows \(scrolled.lowerBound + 1)–\(scrolled.upperBound) of \(scrolling) \(arrows)"
    }
}
