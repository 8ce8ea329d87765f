/// The metric types of text format 0.0.4; the raw values are the `# TYPE` keywords.
public enum MetricType: String, CaseIterable, Sendable {
    case counter, gauge, histogram, summary, untyped
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
