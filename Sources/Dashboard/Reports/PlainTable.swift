/// Rows of text cells as aligned lines for scripts and terminals (`--once`, `report`):
/// columns two spaces apart, numbers right-aligned, no trailing spaces.
enum PlainTable {
    static func lines(_ rows: [[String]], rightAligned: (Int) -> Bool) -> [String] {
        guard let first = rows.first else { return [] }
        let widths = first.indices.map { i in rows.map { $0[i].count }.max() ?? 0 }
        return rows.map { row in
            var line = row.indices.map { i in
                let pad = String(repeating: " ", count: widths[i] - row[i].count)
                return rightAligned(i) ? pad + row[i] : row[i] + pad
            }.joined(separator: "  ")
            while line.hasSuffix(" ") { line.removeLast() }
            return line
        }
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
