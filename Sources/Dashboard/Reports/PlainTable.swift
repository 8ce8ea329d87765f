/// Rows of text cells as aligned lines for scripts and terminals (`--once`, `report`):
/// columns two spaces apart, numbers right-aligned, no trailing spaces. Widths are display
/// widths (a CJK glyph or an emoji takes two columns), and a label value can never break a row
/// or reach the terminal as a control sequence: control characters print as `�`, zero-width
/// and bidirectional controls are left out.
enum PlainTable {
    static func lines(_ rows: [[String]], rightAligned: (Int) -> Bool) -> [String] {
        guard let first = rows.first else { return [] }
        let rows = rows.map { $0.map(printable) }
        let widths = first.indices.map { i in rows.map { $0[i].displayWidth }.max() ?? 0 }
        return rows.map { row in
            var line = row.indices.map { i in
                let pad = String(repeating: " ", count: widths[i] - row[i].displayWidth)
                return rightAligned(i) ? pad + row[i] : row[i] + pad
            }.joined(separator: "  ")
            while line.hasSuffix(" ") { line.removeLast() }
            return line
        }
    }

    /// `text` as it may be printed: what the cell grid does with the same characters.
    private static func printable(_ text: String) -> String {
        var out = ""
        for character in text {
            if let scalar = character.unicodeScalars.first, scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) {
                out.append("\u{FFFD}")
            } else if character.displayWidth > 0 {
                out.append(character)
            }
        }
        return out
    }
}

extension TableCell {
    /// The cell as a script or a terminal's scrollback gets it: numbers as the dashboard writes them.
    var plainText: String {
        switch self {
        case .text(let s): s
        case .number(let v, let unit): ValueFormatter.string(v, unit: unit)
        case .estimate(let v, let unit): TableCell.estimateMark + ValueFormatter.string(v, unit: unit)
        }
    }
}
