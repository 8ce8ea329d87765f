import Feeds

/// The `iperf3` panel: one row per iperf3 stream with the agent stream that carried it beside
/// it, live while the test runs and as the end-of-run summary once it is over. Streams the
/// join could not place are named in the footnote.
struct Iperf3PanelBuilder {
    let feed: Iperf3Feed?
    let lookup: AgentLookup
    let ui: UIState

    /// The panel's title suffix (what is running, how far) and its table.
    func build(title: String) -> (String, TableModel) {
        guard let feed, let test = feed.currentTest else {
            let note = feed?.problem ?? (feed == nil ? "no iperf3 input (run bptop -- iperf3 …, or --iperf3 FILE)" : "waiting for iperf3 output")
            return (title, TableModel(columns: Self.liveColumns, rows: [], footnote: note))
        }
        let summary = RunSummary(test, exactBytes: feed.report.format != .text, lookup: lookup.info.isEmpty ? nil : lookup)
        let ended = feed.runEnded
        let rows: [TableRow]
        if ended {
            rows = summary.rows.map(summaryRow)
        } else {
            let latest = LatestIntervals(test)
            rows = summary.rows.filter { !$0.isSum }.map { liveRow($0, latest) }
        }
        let joined = summary.join.map { "\(test.connections.count - $0.unmatched.count) of \(test.connections.count) joined" }
            ?? "no agent data"
        let state = ended ? "finished\(feed.exitStatus.map { $0.succeeded ? "" : " (\($0))" } ?? ""), summary"
            : "running \(ValueFormatter.string(summary.seconds, unit: .seconds))"
        var notes = [summary.unmatchedLine, test.error.map { "iperf3: \($0)" }, feed.problem].compactMap { $0 }
        if ended { notes += summary.headlines }
        let table = TableModel(columns: ended ? Self.summaryColumns : Self.liveColumns, rows: rows,
                               selectedKey: ui.selectedKey, footnote: notes.isEmpty ? nil : notes.joined(separator: "\n"))
        return ("\(title) · \(test.side == .server ? "server" : "client") \(test.protocolName ?? "TCP"), "
                + "\(test.connections.count) streams, \(joined) · \(state)", table)
    }

    static let liveColumns = [
        TableColumn(title: "iperf3", width: 7, alignRight: false), TableColumn(title: "role", width: 4, alignRight: false),
        TableColumn(title: "local → remote", width: 35, alignRight: false),
        TableColumn(title: "iperf3 now", width: 10, alignRight: true), TableColumn(title: "agent", width: 9, alignRight: false),
        TableColumn(title: "agent now", width: 10, alignRight: true), TableColumn(title: "full/s", width: 8, alignRight: true),
        TableColumn(title: "retry/s", width: 8, alignRight: true), TableColumn(title: "max stall", width: 9, alignRight: true),
        TableColumn(title: "retr", width: 6, alignRight: true),
    ]

    static let summaryColumns = [
        TableColumn(title: "iperf3", width: 7, alignRight: false), TableColumn(title: "role", width: 4, alignRight: false),
        TableColumn(title: "bytes", width: 9, alignRight: true), TableColumn(title: "mean", width: 10, alignRight: true),
        TableColumn(title: "min", width: 10, alignRight: true), TableColumn(title: "max", width: 10, alignRight: true),
        TableColumn(title: "retr", width: 6, alignRight: true), TableColumn(title: "agent", width: 9, alignRight: false),
        TableColumn(title: "events", width: 8, alignRight: true), TableColumn(title: "retries", width: 8, alignRight: true),
        TableColumn(title: "most", width: 6, alignRight: true), TableColumn(title: "stall", width: 8, alignRight: true),
    ]

    private func liveRow(_ row: RunSummaryRow, _ latest: LatestIntervals) -> TableRow {
        let s = row.iperf3
        let stream = LatestIntervals.Key(stream: s.stream, role: s.role)
        let last = latest.last[stream]
        let a = row.agent
        return TableRow(key: key(row), cells: [
            .text(s.stream.map(String.init) ?? "SUM"), .text(s.role?.rawValue ?? row.dir),
            .text(s.connection.map { "\($0.local.address) → \($0.remote.address)" } ?? ""),
            .number(last.map { $0.bitsPerSecond / 8 }, ui.shown(.bitsPerSecond)), .text(agentText(row)),
            .number(a?.bytesPerSecond, ui.shown(.bitsPerSecond)), .number(a?.bufferFullPerSecond, .perSecond),
            .number(a?.retriesPerSecond, .perSecond), .number(a?.longestStall, .seconds),
            .number(s.retransmits.map(Double.init) ?? latest.retransmits[stream].map(Double.init), .count),
        ])
    }

    private func summaryRow(_ row: RunSummaryRow) -> TableRow {
        let s = row.iperf3, a = row.agent
        return TableRow(key: key(row), cells: [
            .text(s.stream.map(String.init) ?? "SUM"), .text(s.role?.rawValue ?? row.dir),
            .number(Double(s.bytes), .bytes), .number(s.meanBitsPerSecond.map { $0 / 8 }, ui.shown(.bitsPerSecond)),
            .number(s.minBitsPerSecond.map { $0 / 8 }, ui.shown(.bitsPerSecond)),
            .number(s.maxBitsPerSecond.map { $0 / 8 }, ui.shown(.bitsPerSecond)),
            .number(s.retransmits.map(Double.init), .count), .text(agentText(row)),
            .number(a?.bufferFull, .count), .number(a?.retries, .count), .number(a?.mostRetries, .count),
            .number(a?.longestStall, .seconds),
        ])
    }

    private func agentText(_ row: RunSummaryRow) -> String {
        if let ref = row.agentStream { return "\(ref.stream) \(row.dir)" }
        return row.isSum ? (row.agent == nil ? "" : "all \(row.dir)") : (lookup.info.isEmpty ? "–" : "unmatched")
    }

    private func key(_ row: RunSummaryRow) -> String {
        "iperf3/\(row.iperf3.stream.map(String.init) ?? "SUM")/\(row.iperf3.role?.rawValue ?? row.dir)"
    }
}

/// Each stream's newest interval and its retransmits so far, from one pass over the test's
/// intervals (a live row needs both, every frame, and a long run has many intervals).
private struct LatestIntervals {
    struct Key: Hashable {
        let stream: Int?
        let role: Iperf3Role?
    }

    private(set) var last: [Key: Iperf3Interval] = [:]
    private(set) var retransmits: [Key: Int] = [:]

    init(_ test: Iperf3Test) {
        for interval in test.intervals where interval.stream != nil {
            let key = Key(stream: interval.stream, role: interval.role)
            last[key] = interval
            if let r = interval.retransmits { retransmits[key, default: 0] += r }
        }
    }
}
