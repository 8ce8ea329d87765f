import Feeds
import Telemetry

/// The end-of-run summary of an iperf3 output, per stream and in total, as an aligned table or
/// as JSON (rates in bits/s, bytes exact where iperf3 gave bytes): `bptop report`, and what
/// `bptop -- iperf3 …` prints when it quits. With an agent's scrapes, each joined stream also
/// gets the agent's figures and every direction a line to paste into a pull request. The
/// text's columns are the `report` list of the shipped iperf3 dashboard's iperf3 panel.
public enum Iperf3ReportText {
    /// `agent`: the agent's scrapes, when one was watched.
    public static func text(_ report: Iperf3Report, agent store: TimeSeriesStore? = nil) -> String {
        let columns = shippedColumns
        var out: [String] = []
        let tests = measuredTests(report)
        let lookup = store.map { AgentLookup(memo: QueryMemo(store: $0)) }
        for (n, test) in tests.enumerated() {
            if tests.count > 1 { out.append("test \(n + 1)\(test.side == .server ? " (server)" : "")") }
            let summary = RunSummary(test, exactBytes: report.format != .text, lookup: lookup)
            let fields = Iperf3RowFields(summary, columns: columns)
            let shown = columns.shown(agentKnown: fields.agentKnown)
            let rows = summary.rows.map { row in shown.map { fields.cell($0, row).plainText } }
            out += PlainTable.lines([shown.map(\.title)] + rows) { shown[$0].field.alignsRight }
            out += [summary.unmatchedLine].compactMap { $0 } + summary.headlines
            if let error = test.error { out.append("iperf3: \(error)") }
        }
        if report.skippedLines > 0 { out.append("\(report.skippedLines) lines could not be read") }
        return out.joined(separator: "\n") + "\n"
    }

    public static func json(_ report: Iperf3Report, agent store: TimeSeriesStore? = nil) -> String {
        let lookup = store.map { AgentLookup(memo: QueryMemo(store: $0)) }
        let tests = measuredTests(report).map { test -> JSONNode in
            let summary = RunSummary(test, exactBytes: report.format != .text, lookup: lookup)
            let streams = summary.rows.map { row -> JSONNode in
                let s = row.iperf3
                var fields: [(String, JSONNode)] = [
                    ("stream", .integer(s.stream)), ("sum", .bool(s.stream == nil)),
                    ("role", .string(s.role?.rawValue)), ("dir", .string(row.dir)),
                    ("local", .string(s.connection?.local.address)), ("remote", .string(s.connection?.remote.address)),
                    ("bytes", .integer(s.bytes)), ("bytes_exact", .bool(s.bytesExact)),
                    ("mean_bytes_per_second", .number(s.meanBitsPerSecond.map { $0 / 8 })),
                    ("min_bytes_per_second", .number(s.minBitsPerSecond.map { $0 / 8 })),
                    ("max_bytes_per_second", .number(s.maxBitsPerSecond.map { $0 / 8 })),
                    ("intervals", .integer(s.intervals)), ("retransmits", .integer(s.retransmits)),
                    ("lost_datagrams", .integer(s.lostDatagrams)), ("datagrams", .integer(s.datagrams)),
                ]
                if lookup != nil { fields.append(("agent", agentJSON(row))) }
                return .object(fields)
            }
            return .object([("side", .string(test.side == .server ? "server" : "client")), ("streams", .array(streams))])
        }
        return JSONNode.object([("skipped_lines", .integer(report.skippedLines)), ("tests", .array(tests))]).text(lineDepth: 4)
    }

    private static func agentJSON(_ row: RunSummaryRow) -> JSONNode {
        guard let a = row.agent else { return .null }
        return .object([
            ("stream", .string(row.agentStream?.stream)), ("instance", .string(row.agentStream?.instance)),
            ("dir", .string(row.dir)), ("bytes", .number(a.bytes)), ("buffer_full", .number(a.bufferFull)),
            ("retries", .number(a.retries)), ("most_retries_per_event", .number(a.mostRetries)),
            ("longest_stall_seconds", .number(a.longestStall)),
        ])
    }

    /// Tests that measured something (a server log ends with an empty "listening" test).
    private static func measuredTests(_ report: Iperf3Report) -> [Iperf3Test] {
        report.tests.filter { !$0.intervals.isEmpty || !$0.summary.isEmpty || $0.error != nil }
    }

    /// The shipped iperf3 dashboard is compiled in and a test loads it, so it always has them.
    private static let shippedColumns: [Iperf3Column] = {
        let panels = (try? DashboardResolver.builtIn("iperf3"))?.panels ?? []
        for panel in panels { if case .iperf3(let columns) = panel.kind { return columns.report } }
        preconditionFailure("the built-in iperf3 dashboard has no iperf3 panel")
    }()
}
