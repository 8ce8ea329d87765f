/// The frame around every dashboard panel: a border with the title in its top line and,
/// at the right of that line, a note (a chart's stall p99/max) so it costs no extra row.
struct Panel: Sendable, Widget {
    var title: String
    var note: String?

    func render(into buffer: inout CellBuffer, area: Rect, symbols: SymbolSet) {
        guard area.width >= 2, area.height >= 2 else { return }
        let top = area.y, bottom = area.maxY - 1, left = area.x, right = area.maxX - 1
        for x in left...right {
            buffer[x, top] = Cell(symbols.horizontal)
            buffer[x, bottom] = Cell(symbols.horizontal)
        }
        for y in top...bottom {
            buffer[left, y] = Cell(symbols.vertical)
            buffer[right, y] = Cell(symbols.vertical)
        }
        buffer[left, top] = Cell(symbols.topLeft)
        buffer[right, top] = Cell(symbols.topRight)
        buffer[left, bottom] = Cell(symbols.bottomLeft)
        buffer[right, bottom] = Cell(symbols.bottomRight)
        drawLabels(into: &buffer, line: area.line(0), symbols: symbols)
    }

    /// Title from the left, note from the right, each with a space either side; the note
    /// gives way first when the line is short.
    private func drawLabels(into buffer: inout CellBuffer, line: Rect, symbols: SymbolSet) {
        let room = line.width - 4  // two corner cells and one border cell beside each label
        guard room >= 3 else { return }
        let titleText = " " + title + " "
        let noteText = note.map { " " + $0 + " " } ?? ""
        let fitsNote = !noteText.isEmpty && titleText.displayWidth + 1 + noteText.displayWidth <= room
        let titleRoom = fitsNote ? room - noteText.displayWidth - 1 : room
        let shownTitle = titleText.displayWidth <= titleRoom
            ? titleText : " " + title.fitted(to: titleRoom - 2, ellipsis: symbols.ellipsis) + " "
        buffer.put(shownTitle, x: line.x + 2, y: line.y, style: Style(bold: true))
        if fitsNote {
            buffer.put(noteText, x: line.maxX - 2 - noteText.displayWidth, y: line.y)
        }
    }
}
