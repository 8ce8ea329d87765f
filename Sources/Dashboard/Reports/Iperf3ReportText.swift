import Feeds
import Telemetry

/// The end-of-run summary of an iperf3 output, per stream and in total, as text as wide as
/// the terminal it is printed to or as JSON (rates in bytes/s, bytes exact where iperf3 gave
/// bytes): `bptop report`, and what `bptop -- iperf3 …` prints when it quits. With an agent's
/// scrapes, each joined stream also gets the agent's figures and every direction a line to paste
/// into a pull request. The text's columns are the `report` list of the shipped iperf3
/// dashboard's iperf3 panel.
public enum Iperf3ReportText {
    /// What the title says about the run besides what iperf3's output says itself.
    public struct Run: Sendable {
        /// The command bptop ran (`iperf3 -c … -P 8 --bidir`) or the output it read.
        public var name: String
        /// When it started, for output that does not say (iperf3 does with `-V` and `--json`).
        public var started: String?

        public init(name: String, started: String? = nil) {
            self.name = name
            self.started = started
        }
    }

    /// Every line at most `width` columns: the title and notes wrap, the tables leave columns out
    /// (and say which; `json` has every figure). `agent`: the agent's scrapes, when one was watched.
    public static func text(_ report: Iperf3Report, agent store: TimeSeriesStore? = nil, run: Run, width: Int) -> String {
        let columns = shippedColumns
        var out: [String] = []
        let tests = measuredTests(report)
        let lookup = store.map { AgentLookup(memo: QueryMemo(store: $0)) }
        if tests.count != 1 { out += run.name.wrapped(to: width) }
        for (n, test) in tests.enumerated() {
            let summary = RunSummary(test, exactBytes: report.format != .text, lookup: lookup)
            let name = tests.count == 1 ? run.name : "test \(n + 1)\(test.side == .server ? " (server)" : "")"
            let started = (test.startTime ?? (n == 0 ? run.started : nil)).map { "started \($0)" }
            let measured = test.intervals.isEmpty ? nil : ValueFormatter.string(summary.seconds, unit: .seconds)
            let title = [name, started, measured].compactMap { $0 }
            out += title.joined(separator: " · ").wrapped(to: width)
            let table = Iperf3ReportTable(summary, columns: columns, width: width)
            var notes = [summary.unmatchedLine].compactMap { $0 } + summary.headlines + summary.lossLines
            if let error = test.error { notes.append("iperf3: \(error)") }
            if table.hasEstimates {
                notes.append("\(TableCell.estimateMark) estimated: iperf3's text output rounds to 3 digits (its --json gives exact bytes)")
            }
            if !table.dropped.isEmpty {
                notes.append("left out to fit \(width) columns: \(table.dropped.joined(separator: ", "))")
            }
            out += table.lines + notes.flatMap { $0.wrapped(to: width) }
        }
        if report.skippedLines > 0 { out.append("\(CountText.of(report.skippedLines, "line")) could not be read") }
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
            return .object([("side", .string(test.side == .server ? "server" : "client")), ("start_time", .string(test.startTime)),
                            ("duration_seconds", .number(summary.seconds)), ("streams", .array(streams))])
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
