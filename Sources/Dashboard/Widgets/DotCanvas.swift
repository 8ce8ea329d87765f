/// A plot area addressed in dots: 2×4 per cell with braille, 1×1 with ASCII. Series set dots;
/// a cell takes the colour of the last series that touched it, so later series stay visible.
struct DotCanvas {
    let columns: Int
    let rows: Int
    let dotsAcross: Int
    let dotsDown: Int
    private var bits: [UInt8]
    private var colors: [ColorName]

    init(columns: Int, rows: Int, symbols: SymbolSet) {
        self.columns = max(0, columns)
        self.rows = max(0, rows)
        dotsAcross = symbols.dotsAcross
        dotsDown = symbols.dotsDown
        bits = Array(repeating: 0, count: self.columns * self.rows)
        colors = Array(repeating: .default, count: self.columns * self.rows)
    }

    var dotColumns: Int { columns * dotsAcross }
    var dotRows: Int { rows * dotsDown }

    /// Braille dot bits by (column, row) inside a cell: dots 1–3 and 7 on the left, 4–6 and 8 on the right.
    private static let dotBits: [[UInt8]] = [[0x01, 0x02, 0x04, 0x40], [0x08, 0x10, 0x20, 0x80]]

    /// Sets the dot at (x, y), y counted from the bottom.
    mutating func set(x: Int, y: Int, color: ColorName) {
        guard x >= 0, y >= 0, x < dotColumns, y < dotRows else { return }
        let fromTop = dotRows - 1 - y
        let index = (fromTop / dotsDown) * columns + x / dotsAcross
        bits[index] |= dotsAcross == 1 ? 1 : Self.dotBits[x % dotsAcross][fromTop % dotsDown]
        colors[index] = color
    }

    func render(into buffer: inout CellBuffer, x: Int, y: Int, symbols: SymbolSet) {
        for row in 0..<rows {
            for column in 0..<columns where bits[row * columns + column] != 0 {
                let index = row * columns + column
                buffer[x + column, y + row] = Cell(symbols.chartGlyph(bits[index]), style: Style(fg: colors[index]))
            }
        }
    }
}
