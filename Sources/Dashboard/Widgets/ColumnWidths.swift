/// Column widths for a table in a given width: the preferred widths when they fit; otherwise
/// text columns (names, addresses) give up cells first, widest first, down to a few cells each,
/// because numbers cut short would mislead. Columns that still do not fit are dropped from the right.
enum ColumnWidths {
    static let minimumTextWidth = 4

    /// One width per column; 0 for a dropped column. Columns are separated by one space.
    static func fit(_ columns: [TableColumn], into width: Int) -> [Int] {
        var widths = columns.map { max(0, $0.width) }
        var excess = total(widths) - width
        while excess > 0 {
            let shrinkable = widths.indices.filter { !columns[$0].alignRight && widths[$0] > minimumTextWidth }
            guard let widest = shrinkable.max(by: { widths[$0] < widths[$1] }) else { break }
            widths[widest] -= 1
            excess -= 1
        }
        while total(widths) > width, let last = widths.lastIndex(where: { $0 > 0 }) {
            widths[last] = 0
        }
        return widths
    }

    private static func total(_ widths: [Int]) -> Int {
        let shown = widths.filter { $0 > 0 }
        return shown.reduce(0, +) + max(0, shown.count - 1)
    }
}
