import Telemetry

/// `bptop compare BEFORE AFTER`: per direction, the figures of two runs side by side with the
/// change (`+12.3 %`, `−4.0 %`, `↓ 98 %` for a fall of half or more, `↑ 3.5×` for a rise to
/// double or more, `from 0`), as aligned text, a GitHub Markdown table, or JSON (base units).
public enum CompareReport {
    /// The rows, in the order flent's and vmnet-helper's before/after tables read.
    static let metrics: [RunMetric] = [.throughputMean, .throughputMin, .throughputMax, .bufferFull, .bufferFullRate,
                                       .retries, .retriesMax, .stallP50, .stallP99, .stallMax, .drops, .retransmits]

    public static func text(before: MeasuredRun, after: MeasuredRun) -> String {
        var out = ["before: \(describe(before))", "after:  \(describe(after))"]
        for dir in directions(before, after) {
            let rows = [[dir, "before", "after", "change"]] + metrics.map { m in row(m, dir, before, after) }
            out.append("")
            out += PlainTable.lines(rows) { $0 > 0 }
        }
        return out.joined(separator: "\n") + "\n"
    }

    /// Pastes into a GitHub comment: one table per direction, numbers right-aligned.
    public static func markdown(before: MeasuredRun, after: MeasuredRun) -> String {
        var out = ["**before** \(code(describe(before)))  ", "**after** \(code(describe(after)))"]
        for dir in directions(before, after) {
            out += ["", "| \(dir) | before | after | change |", "|---|---:|---:|---:|"]
            out += metrics.map { m in "| " + row(m, dir, before, after).map(escape).joined(separator: " | ") + " |" }
        }
        return out.joined(separator: "\n") + "\n"
    }

    public static func json(before: MeasuredRun, after: MeasuredRun, thresholds: [ThresholdVerdict] = []) -> String {
        func run(_ r: MeasuredRun) -> JSONNode {
            .object([("title", .string(r.title)), ("started", .string(r.started)), ("duration_seconds", .number(r.seconds))])
        }
        let dirs = directions(before, after).map { dir -> (String, JSONNode) in
            let figures = metrics.map { m -> (String, JSONNode) in
                let b = before.direction(dir)?.totals[m], a = after.direction(dir)?.totals[m]
                let change = b.flatMap { b in a.flatMap { a in b == 0 ? (a == 0 ? 0 : nil) : (a - b) / b } }
                return (m.jsonKey, .object([("before", .number(b)), ("after", .number(a)), ("change", .number(change))]))
            }
            return (dir, .object(figures))
        }
        var members: [(String, JSONNode)] = [("before", run(before)), ("after", run(after)), ("directions", .object(dirs))]
        if !thresholds.isEmpty { members.append(("thresholds", GateReport.json(thresholds))) }
        return JSONNode.object(members).text(lineDepth: 3)
    }

    /// `+12.3 %`, `−4.0 %`, `↓ 98 %`, `↑ 3.5×`, `from 0`, `=` (no change), `–` (a figure missing).
    static func change(from before: Double?, to after: Double?) -> String {
        guard let before, let after, before.isFinite, after.isFinite else { return "–" }
        if before == after { return "=" }
        if before == 0 { return "from 0" }
        let ratio = (after - before) / abs(before)
        if ratio <= -0.5 { return "↓ " + DecimalText.fixed(-ratio * 100, decimals: 0) + " %" }
        if ratio >= 1 { return "↑ " + DecimalText.fixed(after / before, decimals: after / before < 10 ? 1 : 0) + "×" }
        return (ratio >= 0 ? "+" : "−") + DecimalText.fixed(abs(ratio) * 100, decimals: 1) + " %"
    }

    private static func row(_ m: RunMetric, _ dir: String, _ before: MeasuredRun, _ after: MeasuredRun) -> [String] {
        let b = before.direction(dir)?.totals[m], a = after.direction(dir)?.totals[m]
        return [m.title, ValueFormatter.string(b, unit: m.displayUnit), ValueFormatter.string(a, unit: m.displayUnit), change(from: b, to: a)]
    }

    private static func describe(_ run: MeasuredRun) -> String {
        ([run.title, run.started.map { "started \($0)" }, ValueFormatter.string(run.seconds, unit: .seconds)] as [String?])
            .compactMap { $0 }.joined(separator: " · ")
    }

    private static func directions(_ a: MeasuredRun, _ b: MeasuredRun) -> [String] {
        let all = a.directions.map(\.dir) + b.directions.map(\.dir)
        return ["c2s", "s2c"].filter(all.contains) + Set(all).subtracting(["c2s", "s2c"]).sorted()
    }

    private static func code(_ text: String) -> String { "`" + text.replacing("`", with: "'") + "`" }
    private static func escape(_ text: String) -> String { text.replacing("|", with: "\\|") }
}

extension GateReport {
    /// `[{"threshold", "passed", "measured": {"c2s": value, …}}]`, values in base units.
    static func json(_ verdicts: [ThresholdVerdict]) -> JSONNode {
        .array(verdicts.map { v in
            .object([("threshold", .string(v.expression.text)), ("passed", .bool(v.passed)),
                     ("measured", .object(v.measured.map { ($0.dir, .number($0.value)) }))])
        })
    }
}
