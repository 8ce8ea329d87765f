/// Turns a cell buffer into plain text, the way ratatui's TestBackend does, so a whole screen
/// is a snapshot a test can compare exactly.
enum TextBackend {
    /// The characters, one line per row, trailing spaces trimmed.
    static func render(_ buffer: CellBuffer) -> String {
        lines(buffer, blank: " ") { $0.character }
    }

    /// A parallel map of styles: `R` reverse, `d` dim, `b` bold, `.` plain (first match wins),
    /// trailing `.` trimmed.
    static func renderStyles(_ buffer: CellBuffer) -> String {
        lines(buffer, blank: ".") { cell in
            cell.style.reverse ? "R" : cell.style.dim ? "d" : cell.style.bold ? "b" : "."
        }
    }

    /// A parallel map of colours by their first letter (`r` red, `g` green, …; `m` magenta),
    /// `.` for the default colour, trailing `.` trimmed.
    static func renderColors(_ buffer: CellBuffer) -> String {
        lines(buffer, blank: ".") { cell in cell.style.fg == .default ? "." : cell.style.fg.rawValue.first! }
    }

    /// A continuation cell adds nothing: the wide character before it already covers it, as on
    /// a terminal.
    private static func lines(_ buffer: CellBuffer, blank: Character, _ glyph: (Cell) -> Character) -> String {
        (0..<buffer.height).map { y in
            var line = String((0..<buffer.width).compactMap { buffer[$0, y].isContinuation ? nil : glyph(buffer[$0, y]) })
            while line.last == blank { line.removeLast() }
            return line
        }.joined(separator: "\n")
    }
}
