/// A grid of cells that widgets draw into; backends only ever see finished buffers.
/// Every write is clipped to the buffer, so a widget given too little room draws less
/// rather than trapping.
public struct CellBuffer: Equatable, Sendable {
    public let width: Int
    public let height: Int
    private var cells: [Cell]

    public init(width: Int, height: Int) {
        self.width = max(0, width)
        self.height = max(0, height)
        cells = Array(repeating: .blank, count: self.width * self.height)
    }

    var area: Rect { Rect(x: 0, y: 0, width: width, height: height) }

    private func contains(_ x: Int, _ y: Int) -> Bool {
        x >= 0 && y >= 0 && x < width && y < height
    }

    /// Reads a blank cell outside the buffer and ignores writes there. Writing over half of a
    /// wide character blanks its other half, so no stale half-glyph is ever left on screen.
    public subscript(x: Int, y: Int) -> Cell {
        get { contains(x, y) ? cells[y * width + x] : .blank }
        set {
            guard contains(x, y) else { return }
            let old = cells[y * width + x]
            if old.isContinuation, x > 0 { cells[y * width + x - 1] = Cell(" ", style: cells[y * width + x - 1].style) }
            if old.width == 2, x + 1 < width, !(newValue.width == 2) {
                cells[y * width + x + 1] = Cell(" ", style: old.style)
            }
            cells[y * width + x] = newValue
        }
    }

    /// Writes `text` from (x, y) rightwards, at most `maxWidth` columns; returns the column after
    /// it. Wide characters take two columns (a wide one that would not fit is a space); zero-width
    /// ones (a stray combining mark, bidirectional controls) are dropped; control characters show
    /// as `�`, so label text can never move the terminal's cursor.
    @discardableResult
    mutating func put(_ text: some StringProtocol, x: Int, y: Int, style: Style = .plain, maxWidth: Int = .max) -> Int {
        var column = x
        for var character in text {
            if let scalar = character.unicodeScalars.first, scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) {
                character = "\u{FFFD}"
            }
            let columns = character.displayWidth
            if columns == 0 { continue }
            guard column - x < maxWidth, column < width else { break }
            if columns == 2 {
                guard column - x + 1 < maxWidth, column + 1 < width else {
                    self[column, y] = Cell(" ", style: style)
                    column += 1
                    break
                }
                self[column, y] = Cell(character, style: style)
                self[column + 1, y] = .continuation(style)
                column += 2
            } else {
                self[column, y] = Cell(character, style: style)
                column += 1
            }
        }
        return column
    }

    /// Writes spans one after another, together at most `maxWidth` cells; returns the column after them.
    @discardableResult
    mutating func put(_ spans: [Span], x: Int, y: Int, maxWidth: Int = .max) -> Int {
        var column = x
        for span in spans {
            column = put(span.text, x: column, y: y, style: span.style, maxWidth: maxWidth - (column - x))
        }
        return column
    }

    mutating func fill(_ rect: Rect, with cell: Cell = .blank) {
        for y in rect.y..<rect.maxY {
            for x in rect.x..<rect.maxX { self[x, y] = cell }
        }
    }

    /// Rewrites every cell through `transform` (used for the ASCII fallback).
    mutating func mapCells(_ transform: (Cell) -> Cell) {
        cells = cells.map(transform)
    }
}
