import Telemetry

/// What one line, cell or number of a dashboard shows: a selection of series, optionally
/// turned into rates, summed by labels, or reduced to a histogram quantile.
///
/// Every series carries a pseudo-label `instance` holding its source's name (as Prometheus
/// adds to scraped series), so matchers and `sumBy` can tell agents apart. A metric given as
/// a pattern (`"*"`, `"process_*"`) adds `__name__` too.
public struct Query: Hashable, Sendable {
    /// A sample name (`bpagent_bytes_total`); with `quantile`, the histogram's base name; or
    /// a prefix pattern ending in `*`, which with `rate` selects counters only.
    public var metric: String
    public var matchers: [String: LabelMatcher]
    /// Per-second rate of a counter (reset-aware) instead of its raw value.
    public var rate: Bool
    /// nil keeps each series; `[]` combines everything into one; else combines within groups
    /// of equal values of these labels (Prometheus' `sum by (…)`, or `max by`… with `aggregate`).
    public var sumBy: [String]?
    /// How series grouped by `sumBy` combine: summed (throughput, events), or the largest,
    /// smallest or mean (a "longest stall" is the maximum across streams, never their sum).
    public var aggregate: Aggregation
    /// For histograms: the quantile (0…1) of the `le` buckets' increase.
    public var quantile: Double?
    /// A gauge holding the exact largest observation (`bpagent_stall_max_seconds`): a quantile
    /// interpolated inside a bucket can exceed what was ever observed, so it is clamped to
    /// this gauge's value for the same labels (p99 never shows above max).
    public var atMost: String?
    /// Keep only the `topK` results with the highest current value.
    public var topK: Int?
    /// With a pattern: only series of this type (`gauge` takes untyped series not named
    /// `*_total` too), so a table of gauges shows values and a table of counters rates.
    public var type: MetricType?

    public init(metric: String, matchers: [String: LabelMatcher] = [:], rate: Bool = false,
                sumBy: [String]? = nil, aggregate: Aggregation = .sum, quantile: Double? = nil, atMost: String? = nil, topK: Int? = nil, type: MetricType? = nil) {
        self.metric = metric
        self.matchers = matchers
        self.rate = rate
        self.sumBy = sumBy
        self.aggregate = aggregate
        self.quantile = quantile
        self.atMost = atMost
        self.topK = topK
        self.type = type
    }

    /// The name of the pseudo-label that holds a series' source.
    public static let sourceLabel = TimeSeriesStore.sourceLabel
    /// The pseudo-label that holds the sample name when `metric` is a pattern.
    public static let nameLabel = "__name__"

    var isPattern: Bool { metric.hasSuffix("*") }

    func selects(sampleName name: String) -> Bool {
        isPattern ? name.hasPrefix(metric.dropLast()) : name == metric
    }
}

/// Prometheus' aggregation operators that dashboards use.
public enum Aggregation: String, Hashable, Sendable, CaseIterable {
    case sum, max, min, avg
}
