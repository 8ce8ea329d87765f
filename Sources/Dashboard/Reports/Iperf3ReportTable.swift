/// One test's summary rows as text lines no wider than the terminal: columns no row has a
/// figure for are left out, then columns in the dashboard's drop order (`"drop"`) until the
/// lines fit, and the ones dropped are named so nothing goes missing unannounced.
struct Iperf3ReportTable {
    private(set) var columns: [Iperf3Column]
    private(set) var rows: [[TableCell]]
    /// Titles of columns left out for the width, in the order they went.
    private(set) var dropped: [String] = []

    init(_ summary: RunSummary, columns listed: [Iperf3Column], width: Int) {
        let fields = Iperf3RowFields(summary, columns: listed)
        let shown = listed.shown(agentKnown: fields.agentKnown, protocolName: summary.test.protocolName)
        columns = shown
        rows = summary.rows.map { row in shown.map { fields.cell($0, row) } }
        for i in columns.indices.reversed() where rows.allSatisfy({ $0[i].plainText.isEmpty }) { remove(i) }
        while (lines.map(\.count).max() ?? 0) > width,
              let i = columns.indices.filter({ columns[$0].dropOrder != nil }).min(by: { columns[$0].dropOrder! < columns[$1].dropOrder! }) {
            dropped.append(columns[i].title)
            remove(i)
        }
    }

    /// The header and one line per row, columns two spaces apart; nothing for a test without rows
    /// (iperf3 failed before measuring).
    var lines: [String] {
        rows.isEmpty ? [] : PlainTable.lines([columns.map(\.title)] + rows.map { $0.map(\.plainText) }) { columns[$0].field.alignsRight }
    }

    /// Some figure is an estimate (shown after `~`).
    var hasEstimates: Bool {
        rows.contains { $0.contains { if case .estimate = $0 { true } else { false } } }
    }

    private mutating func remove(_ column: Int) {
        columns.remove(at: column)
        for r in rows.indices { rows[r].remove(at: column) }
    }
}
