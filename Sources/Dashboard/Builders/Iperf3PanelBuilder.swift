import Feeds

/// The `iperf3` panel: one row per iperf3 stream with the agent stream that carried it beside
/// it, live while the test runs and as the end-of-run summary once it is over. Streams the
/// join could not place are named in the footnote. Its columns are the dashboard's.
struct Iperf3PanelBuilder {
    let columns: Iperf3Columns
    let feed: Iperf3Feed?
    let lookup: AgentLookup
    let ui: UIState

    /// The panel's title suffix (what is running, how far) and its table.
    func build(title: String) -> (String, TableModel) {
        guard let feed, let test = feed.currentTest else {
            let note = feed?.problem ?? (feed == nil ? "no iperf3 input (run bptop -- iperf3 …, or --iperf3 FILE)" : "waiting for iperf3 output")
            return (title, TableModel(columns: columns.live.shown(agentKnown: false).map(tableColumn), rows: [], footnote: note))
        }
        let summary = RunSummary(test, exactBytes: feed.report.format != .text, lookup: lookup.info.isEmpty ? nil : lookup)
        let ended = feed.runEnded
        let listed = ended ? columns.summary : columns.live
        let fields = Iperf3RowFields(summary, columns: listed)
        let shown = listed.shown(agentKnown: fields.agentKnown)
        let rows = summary.rows.filter { ended || !$0.isSum }.map { row in
            TableRow(key: key(row), cells: shown.map { column in
                switch fields.cell(column, row) {
                case .number(let value, let unit): .number(value, ui.shown(unit))
                case let text: text
                }
            })
        }
        let joined = summary.join.map { "\(test.connections.count - $0.unmatched.count) of \(test.connections.count) joined" }
            ?? "no agent data"
        let state = ended ? "finished\(feed.exitStatus.map { $0.succeeded ? "" : " (\($0))" } ?? ""), summary"
            : "running \(ValueFormatter.string(summary.seconds, unit: .seconds))"
        var notes = [summary.unmatchedLine, test.error.map { "iperf3: \($0)" }, feed.problem].compactMap { $0 }
        if ended { notes += summary.headlines }
        let table = TableModel(columns: shown.map(tableColumn), rows: rows,
                               selectedKey: ui.selectedKey, footnote: notes.isEmpty ? nil : notes.joined(separator: "\n"))
        return ("\(title) · \(test.side == .server ? "server" : "client") \(test.protocolName ?? "TCP"), "
                + "\(test.connections.count) streams, \(joined) · \(state)", table)
    }

    private func tableColumn(_ column: Iperf3Column) -> TableColumn {
        TableColumn(title: column.title, width: column.width, alignRight: column.field.alignsRight)
    }

    private func key(_ row: RunSummaryRow) -> String {
        "iperf3/\(row.iperf3.stream.map(String.init) ?? "SUM")/\(row.iperf3.role?.rawValue ?? row.dir)"
    }
}
