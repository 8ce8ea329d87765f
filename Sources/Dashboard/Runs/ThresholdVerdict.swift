/// A threshold checked against a run: the measured figure per direction it covers and
/// whether every one holds. A direction without the figure fails (a gate that cannot measure
/// what it guards must not pass silently).
public struct ThresholdVerdict: Sendable {
    public let expression: ThresholdExpression
    /// Per direction checked, the figure (for `regression`, the fraction worse); nil: no data.
    public let measured: [(dir: String, value: Double?)]

    public var passed: Bool {
        !measured.isEmpty && measured.allSatisfy { $0.value.map { expression.comparison.holds($0, expression.value) } ?? false }
    }

    /// `run` is the run to check (compare's second, "after"); `before` is compare's first run,
    /// which `regression()` measures against.
    public init(_ expression: ThresholdExpression, run: MeasuredRun, before: MeasuredRun? = nil) {
        self.expression = expression
        let dirs = expression.direction.map { [$0] } ?? run.directions.map(\.dir)
        measured = dirs.map { dir in
            let after = run.direction(dir)?.totals[expression.metric]
            guard expression.regression else { return (dir, after) }
            let earlier = before?.direction(dir)?.totals[expression.metric]
            return (dir, after.flatMap { a in earlier.map { Self.regression(from: $0, to: a, expression.metric) } })
        }
    }

    /// `--abort-on-fail`: the first of `thresholds` that has failed for good in `run` so far (a
    /// count or maximum over its limit, which no later figure can undo); means, rates and
    /// quantiles are judged at the end only.
    public static func firstFinalCrossing(_ thresholds: [ThresholdExpression], run: MeasuredRun) -> ThresholdVerdict? {
        thresholds.lazy.filter(\.failureIsFinal).map { ThresholdVerdict($0, run: run) }.first { verdict in
            verdict.measured.contains { m in m.value.map { !verdict.expression.comparison.holds($0, verdict.expression.value) } ?? false }
        }
    }

    /// How much worse `after` is than `before`, as a fraction of `before`: a drop for figures
    /// where more is better, a rise otherwise. From 0 to more is infinitely worse, 0 to 0 no change.
    static func regression(from before: Double, to after: Double, _ metric: RunMetric) -> Double {
        let worse = metric.higherIsBetter ? before - after : after - before
        if before == 0 { return worse == 0 ? 0 : (worse > 0 ? .infinity : -1) }
        return worse / before
    }
}
