import Feeds
import Telemetry

/// The `iperf3` panel: one row per iperf3 stream with the agent stream that carried it beside
/// it, live while the test runs and as the end-of-run summary once it is over. Streams the
/// join could not place are named in the footnote. Its columns are the dashboard's.
struct Iperf3PanelBuilder {
    let columns: Iperf3Columns
    let feed: Iperf3Feed?
    let lookup: AgentLookup
    let ui: UIState

    /// What one frame shows of the panel.
    struct Panel {
        /// The panel's title with what is running, how far.
        var title: String
        var table: TableModel
        /// Per row key, the label sets of the series the row stands for: iperf3's stream and the
        /// agent stream that carried it (a `[SUM]` row: its direction in each source). Focusing
        /// the row adds the charts' `focus` lines for each set.
        var focus: [String: [[PrometheusSample.Label]]]
    }

    func build(title: String) -> Panel {
        guard let feed, let test = feed.currentTest else {
            let note = feed?.problem ?? (feed == nil ? "no iperf3 input (run bptop -- iperf3 …, or --iperf3 FILE)" : "waiting for iperf3 output")
            return Panel(title: title, table: TableModel(columns: columns.live.shown(agentKnown: false, protocolName: nil).map(tableColumn), rows: [],
                                                         footnote: note), focus: [:])
        }
        let summary = RunSummary(test, exactBytes: feed.report.format != .text, lookup: lookup.info.isEmpty ? nil : lookup)
        let ended = feed.runEnded
        let listed = ended ? columns.summary : columns.live
        let fields = Iperf3RowFields(summary, columns: listed)
        let shown = listed.shown(agentKnown: fields.agentKnown, protocolName: test.protocolName)
        let summaryRows = summary.rows.filter { ended || !$0.isSum }
        var rows = summaryRows.map { row in
            TableRow(key: key(row), cells: shown.map { column in
                switch fields.cell(column, row) {
                case .number(let value, let unit): .number(value, ui.shown(unit))
                case .estimate(let value, let unit): .estimate(value, ui.shown(unit))
                case let text: text
                }
            })
        }
        // The streams sort as the user asks (by stream id until then); the totals stay last, pinned.
        let sums = summaryRows.filter(\.isSum).count
        let sortColumn = shown.isEmpty ? 0 : min(ui.sortColumn ?? 0, shown.count - 1)
        let descending = ui.sortColumn == nil ? false : ui.sortDescending
        if !shown.isEmpty {
            rows[..<(rows.count - sums)].sort { TableOrder.precedes($0, $1, column: sortColumn, descending: descending) }
        }
        let joined = summary.join.map { "\(test.connections.count - $0.unmatched.count) of \(test.connections.count) joined" }
            ?? "no agent data"
        let state = ended ? "finished\(feed.exitStatus.map { $0.succeeded ? "" : " (\($0))" } ?? ""), summary"
            : "running \(ValueFormatter.string(summary.seconds, unit: .seconds))"
        var notes = [summary.unmatchedLine, test.error.map { "iperf3: \($0)" }, feed.problem].compactMap { $0 }
        if ended { notes += summary.headlines + summary.lossLines }
        let table = TableModel(columns: shown.map(tableColumn), rows: rows, pinnedRows: sums, sortColumn: sortColumn,
                               sortDescending: descending, selectedKey: ui.selectedKey,
                               footnote: notes.isEmpty ? nil : notes.joined(separator: "\n"))
        let focus = Dictionary(summaryRows.map { (key($0), focusLabels($0, summary, source: feed.sourceName)) }) { a, _ in a }
        return Panel(title: "\(title) · \(test.side == .server ? "server" : "client") \(test.protocolName ?? "TCP"), "
                     + "\(CountText.of(test.connections.count, "stream")), \(joined) · \(state)", table: table, focus: focus)
    }

    private func tableColumn(_ column: Iperf3Column) -> TableColumn {
        TableColumn(title: column.title, width: column.width, alignRight: column.field.alignsRight)
    }

    private func key(_ row: RunSummaryRow) -> String {
        "iperf3/\(row.iperf3.stream.map(String.init) ?? "SUM")/\(row.iperf3.role?.rawValue ?? row.dir)"
    }

    /// A stream row: its iperf3 stream (`iperf3_bytes_total{stream="5", dir="c2s"}`) and the joined
    /// agent stream's direction; a `[SUM]` row: its direction in iperf3 and in each agent it was joined to.
    private func focusLabels(_ row: RunSummaryRow, _ summary: RunSummary, source: String) -> [[PrometheusSample.Label]] {
        typealias Label = PrometheusSample.Label
        let dir = Label("dir", row.dir)
        guard let stream = row.iperf3.stream else {
            let agents = Set(summary.rows.filter { $0.dir == row.dir }.compactMap(\.agentStream?.instance))
            return [[Label(Query.sourceLabel, source), dir]] + agents.sorted().map { [Label(Query.sourceLabel, $0), dir] }
        }
        let iperf3 = [Label(Query.sourceLabel, source), Label("stream", String(stream)), dir]
        guard let agent = row.agentStream else { return [iperf3] }
        return [iperf3, [Label(Query.sourceLabel, agent.instance), Label("stream", agent.stream), dir]]
    }
}
