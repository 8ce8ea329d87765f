/// The metric types of the text format; the raw values are the `# TYPE` keywords.
public enum MetricType: String, CaseIterable, Sendable {
    case counter, gauge, histogram, summary, untyped
    /// A histogram whose buckets are gauges (OpenMetrics): they may go down, so they are shown
    /// as they are, never as rates. Its samples are named like a histogram's.
    case gaugehistogram

    /// Whether the family's samples are `le` buckets (`foo_bucket`), `foo_sum` and `foo_count`.
    public var hasBuckets: Bool { self == .histogram || self == .gaugehistogram }

    /// The suffixes of the series a family `foo` of this type writes as `foo_…`.
    var partSuffixes: [String] {
        switch self {
        case .histogram, .gaugehistogram: ["_bucket", "_sum", "_count"]
        case .summary: ["_sum", "_count"]
        case .counter, .gauge, .untyped: []
        }
    }

    /// The type a `# TYPE` line names, in any letter case as Prometheus' own parser reads it,
    /// including its `gauge_histogram` spelling; nil for anything else.
    init?(keyword: UnsafeBufferPointer<UInt8>) {
        guard let type = Self.keywords.first(where: { NumberParsing.matches(keyword, $0.word) })?.type else { return nil }
        self = type
    }

    private static let keywords: [(word: StaticString, type: MetricType)] = [
        ("counter", .counter), ("gauge", .gauge), ("histogram", .histogram), ("summary", .summary),
        ("untyped", .untyped), ("gaugehistogram", .gaugehistogram), ("gauge_histogram", .gaugehistogram),
    ]
}

/// What `# HELP` and `# TYPE` lines say about a family of samples.
public struct MetricFamily: Equatable, Sendable {
    /// The family name: `foo` for a histogram whose samples are `foo_bucket`, `foo_sum`, `foo_count`.
    public var name: String
    public var type: MetricType
    public var help: String?

    public init(name: String, type: MetricType = .untyped, help: String? = nil) {
        self.name = name
        self.type = type
        self.help = help
    }
}
