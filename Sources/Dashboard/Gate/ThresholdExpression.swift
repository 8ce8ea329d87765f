/// One k6-style threshold: `METRIC[{label=value,…}] OP VALUE[UNIT]`, e.g. `stall_max<10ms`,
/// `buffer_full_rate{dir=c2s}<1/s`, `p99(stall)<2ms`, and in `bptop compare`
/// `regression(throughput_mean)<5%`. Parsed by `ThresholdParser`; checked against a run by
/// `ThresholdVerdict`.
public struct ThresholdExpression: Equatable, Sendable {
    /// As written (the ✓/✗ line repeats it).
    public let text: String
    public let metric: RunMetric
    /// `regression(METRIC)`: how much worse the second run is than the first, as a fraction
    /// (0.05 = 5 % worse; negative when it got better). Only `compare` has two runs.
    public let regression: Bool
    /// `{dir=c2s}`: one direction; nil checks every direction the run has.
    public let direction: String?
    public let comparison: Comparison
    /// In base units (bytes/s, seconds, events/s, a count; a fraction for `regression`).
    public let value: Double

    public enum Comparison: String, CaseIterable, Sendable {
        case less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">=", equal = "==", notEqual = "!="

        public func holds(_ measured: Double, _ limit: Double) -> Bool {
            switch self {
            case .less: measured < limit
            case .lessOrEqual: measured <= limit
            case .greater: measured > limit
            case .greaterOrEqual: measured >= limit
            case .equal: measured == limit
            case .notEqual: measured != limit
            }
        }
    }

    /// Once the threshold fails while the run goes on, can it pass again? Not when the figure
    /// only grows and the threshold caps it, or only shrinks and the threshold floors it.
    public var failureIsFinal: Bool {
        guard !regression else { return false }
        switch (metric.trend, comparison) {
        case (.grows, .less), (.grows, .lessOrEqual), (.grows, .equal): return true
        case (.shrinks, .greater), (.shrinks, .greaterOrEqual), (.shrinks, .equal): return true
        default: return false
        }
    }
}
