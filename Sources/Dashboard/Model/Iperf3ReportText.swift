import Feeds

/// `bptop report --iperf3 FILE`: the end-of-run summary of an iperf3 log, per stream and in
/// total, as an aligned table or as JSON (rates in bits/s, bytes exact where iperf3 gave bytes).
public enum Iperf3ReportText {
    public static func text(_ report: Iperf3Report) -> String {
        var out: [String] = []
        let tests = measuredTests(report)
        for (n, test) in tests.enumerated() {
            if tests.count > 1 { out.append("test \(n + 1)\(test.side == .server ? " (server)" : "")") }
            let header = ["stream", "role", "local → remote", "bytes", "mean", "min", "max", "retr", "lost/total"]
            let rows = summaries(test, report).map { s -> [String] in
                [s.stream.map(String.init) ?? "SUM", s.role?.rawValue ?? "",
                 s.connection.map { "\($0.local.host):\($0.local.port) → \($0.remote.host):\($0.remote.port)" } ?? "",
                 (s.bytesExact ? "" : "~") + "\(s.bytes)",
                 rate(s.meanBitsPerSecond), rate(s.minBitsPerSecond), rate(s.maxBitsPerSecond),
                 s.retransmits.map(String.init) ?? "",
                 s.datagrams.map { "\(s.lostDatagrams ?? 0)/\($0)" } ?? ""]
            }
            out += PlainTable.lines([header] + rows) { $0 >= 3 }
            if let error = test.error { out.append("iperf3 error: \(error)") }
        }
        if report.skippedLines > 0 { out.append("\(report.skippedLines) lines could not be read") }
        return out.joined(separator: "\n") + "\n"
    }

    public static func json(_ report: Iperf3Report) -> String {
        let tests = measuredTests(report).map { test in
            let streams = summaries(test, report).map { s in
                "{" + [
                    "\"stream\": " + (s.stream.map(String.init) ?? "null"),
                    "\"sum\": \(s.stream == nil)",
                    "\"role\": " + (s.role.map { "\"\($0.rawValue)\"" } ?? "null"),
                    "\"local\": " + (s.connection.map { "\"\($0.local.host):\($0.local.port)\"" } ?? "null"),
                    "\"remote\": " + (s.connection.map { "\"\($0.remote.host):\($0.remote.port)\"" } ?? "null"),
                    "\"bytes\": \(s.bytes)", "\"bytes_exact\": \(s.bytesExact)",
                    "\"mean_bits_per_second\": \(number(s.meanBitsPerSecond))",
                    "\"min_bits_per_second\": \(number(s.minBitsPerSecond))",
                    "\"max_bits_per_second\": \(number(s.maxBitsPerSecond))",
                    "\"intervals\": \(s.intervals)",
                    "\"retransmits\": \(s.retransmits.map(String.init) ?? "null")",
                    "\"lost_datagrams\": \(s.lostDatagrams.map(String.init) ?? "null")",
                    "\"datagrams\": \(s.datagrams.map(String.init) ?? "null")",
                ].joined(separator: ", ") + "}"
            }
            return "  {\"side\": \"\(test.side == .server ? "server" : "client")\", \"streams\": [\n    "
                + streams.joined(separator: ",\n    ") + "\n  ]}"
        }
        return "{\"skipped_lines\": \(report.skippedLines), \"tests\": [\n" + tests.joined(separator: ",\n") + "\n]}\n"
    }

    /// Tests that measured something (a server log ends with an empty "listening" test).
    private static func measuredTests(_ report: Iperf3Report) -> [Iperf3Test] {
        report.tests.filter { !$0.intervals.isEmpty || !$0.summary.isEmpty || $0.error != nil }
    }

    private static func summaries(_ test: Iperf3Test, _ report: Iperf3Report) -> [Iperf3StreamSummary] {
        test.streamSummaries(exactBytes: report.format != .text)
    }

    private static func rate(_ bytesPerSecondTimesEight: Double?) -> String {
        ValueFormatter.string(bytesPerSecondTimesEight.map { $0 / 8 }, unit: .bitsPerSecond)
    }

    private static func number(_ v: Double?) -> String {
        guard let v, v.isFinite else { return "null" }
        return v.jsonText
    }
}
