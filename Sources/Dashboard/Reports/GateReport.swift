/// The end of a gated run: one line per threshold, `✓` or `✗`, the expression as written and
/// what was measured per direction (`✗ stall_max<10ms  c2s 12.7 ms · s2c 0.9 ms`), as k6
/// prints its thresholds. Any `✗` makes bptop exit 99.
public enum GateReport {
    /// k6's exit status for failed thresholds, distinct from usage (64) and runtime (1) errors.
    public static let failedExitCode: Int32 = 99

    public static func lines(_ verdicts: [ThresholdVerdict]) -> [String] {
        let width = verdicts.map(\.expression.text.count).max() ?? 0
        return verdicts.map { v in
            let mark = v.passed ? "✓" : "✗"
            let figures = v.measured.isEmpty ? "no data"
                : v.measured.map { "\($0.dir) \(figure($0.value, v.expression))" }.joined(separator: " · ")
            let pad = String(repeating: " ", count: width - v.expression.text.count)
            return "\(mark) \(v.expression.text)\(pad)  \(figures)"
        }
    }

    static func figure(_ value: Double?, _ expression: ThresholdExpression) -> String {
        guard let value else { return "no data" }
        if expression.regression {
            guard value.isFinite else { return value > 0 ? "worse from 0" : "–" }
            return (value >= 0 ? "+" : "−") + DecimalText.fixed(abs(value) * 100, decimals: 1, trimZeros: false) + " % worse"
        }
        return ValueFormatter.string(value, unit: expression.metric.displayUnit)
    }
}
