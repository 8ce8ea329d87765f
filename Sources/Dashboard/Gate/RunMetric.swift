/// The figures of a run that a threshold (`--threshold`), `bptop compare` and a plot's title
/// name, per direction. Each is one number over the whole run, in base units (bytes/s,
/// seconds, events/s, counts), so a threshold compares like with like whatever unit it was
/// written in.
public enum RunMetric: String, CaseIterable, Sendable {
    case throughputMean = "throughput_mean"
    case throughputMin = "throughput_min"
    case throughputMax = "throughput_max"
    case bytes
    case bufferFull = "buffer_full"
    case bufferFullRate = "buffer_full_rate"
    case retries
    case retriesRate = "retries_rate"
    /// The most retries one buffer-full event needed.
    case retriesMax = "retries_max"
    case stallP50 = "stall_p50"
    case stallP99 = "stall_p99"
    case stallMax = "stall_max"
    case drops
    case retransmits

    /// What the number measures, which decides the units a threshold may be written in.
    public enum Kind: Sendable {
        case byteRate, bytes, seconds, perSecond, count
    }

    public var kind: Kind {
        switch self {
        case .throughputMean, .throughputMin, .throughputMax: .byteRate
        case .bytes: .bytes
        case .bufferFullRate, .retriesRate: .perSecond
        case .stallP50, .stallP99, .stallMax: .seconds
        case .bufferFull, .retries, .retriesMax, .drops, .retransmits: .count
        }
    }

    /// More is better (throughput, bytes moved); for every other figure less is better. Decides
    /// which way `regression()` and compare's arrows count as worse.
    public var higherIsBetter: Bool { kind == .byteRate || kind == .bytes }

    /// How the figure can move while a run goes on: totals and maxima only grow, a minimum only
    /// shrinks, the rest (means, rates, quantiles) go both ways. `--abort-on-fail` stops a run
    /// only on a crossing that cannot be undone.
    public enum Trend: Sendable { case grows, shrinks, either }

    public var trend: Trend {
        switch self {
        case .bytes, .bufferFull, .retries, .retriesMax, .stallMax, .drops, .retransmits, .throughputMax: .grows
        case .throughputMin: .shrinks
        case .throughputMean, .bufferFullRate, .retriesRate, .stallP50, .stallP99: .either
        }
    }

    /// The spelled-out forms `p99(stall)`, `mean(throughput)`, `rate(buffer_full)`,
    /// `max(retries)` name the same figures as `stall_p99`, `throughput_mean`, … .
    static func aggregation(_ function: String, of base: String) -> RunMetric? {
        switch (function, base) {
        case ("p50", "stall"): .stallP50
        case ("p99", "stall"): .stallP99
        case ("max", "stall"): .stallMax
        case ("mean", "throughput"), ("avg", "throughput"): .throughputMean
        case ("min", "throughput"): .throughputMin
        case ("max", "throughput"): .throughputMax
        case ("rate", "buffer_full"): .bufferFullRate
        case ("rate", "retries"): .retriesRate
        case ("max", "retries"): .retriesMax
        case ("sum", let name): RunMetric(rawValue: name).flatMap { $0.kind == .count || $0.kind == .bytes ? $0 : nil }
        default: nil
        }
    }

    /// The DisplayUnit its values are shown in.
    public var displayUnit: DisplayUnit {
        switch kind {
        case .byteRate: .bitsPerSecond
        case .bytes: .bytes
        case .seconds: .seconds
        case .perSecond: .perSecond
        case .count: .count
        }
    }
}

extension RunMetric {
    /// The key in JSON output: base units named in the key, as every bptop JSON has them.
    public var jsonKey: String {
        switch kind {
        case .byteRate: rawValue + "_bytes_per_second"
        case .seconds: rawValue + "_seconds"
        case .perSecond: rawValue.replacingSuffix("_rate", with: "_per_second")
        case .bytes, .count: rawValue
        }
    }

    /// The row title in `bptop compare`'s table.
    public var title: String {
        switch self {
        case .throughputMean: "throughput mean"
        case .throughputMin: "throughput min"
        case .throughputMax: "throughput max"
        case .bytes: "bytes"
        case .bufferFull: "buffer-full events"
        case .bufferFullRate: "buffer-full events/s"
        case .retries: "retries"
        case .retriesRate: "retries/s"
        case .retriesMax: "most retries in one event"
        case .stallP50: "stall p50"
        case .stallP99: "stall p99"
        case .stallMax: "longest stall"
        case .drops: "drops"
        case .retransmits: "TCP retransmits"
        }
    }
}

private extension String {
    func replacingSuffix(_ suffix: String, with replacement: String) -> String {
        hasSuffix(suffix) ? String(dropLast(suffix.count)) + replacement : self
    }
}
