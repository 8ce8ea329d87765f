/// The two text dialects `/metrics` speaks.
enum ExpositionDialect: Sendable {
    /// Prometheus text 0.0.4.
    case prometheus
    /// OpenMetrics 1.0.0.
    case openMetrics
}

/// A family's type, as each dialect spells it.
enum FamilyType: Sendable {
    case counter, gauge, histogram, summary, info

    /// Text 0.0.4 has no info type: an info family is a gauge whose samples are 1.
    var prometheusName: StaticString {
        switch self {
        case .counter: "counter"
        case .gauge, .info: "gauge"
        case .histogram: "histogram"
        case .summary: "summary"
        }
    }

    var openMetricsName: StaticString {
        switch self {
        case .counter: "counter"
        case .gauge: "gauge"
        case .histogram: "histogram"
        case .summary: "summary"
        case .info: "info"
        }
    }

    /// What the sample of a counter or info family adds to the family name.
    var sampleSuffix: StaticString? {
        switch self {
        case .counter: "_total"
        case .info: "_info"
        case .gauge, .histogram, .summary: nil
        }
    }
}

/// A family's unit (OpenMetrics `# UNIT`); the family name ends in it.
enum MetricUnit: Sendable {
    case bytes
    /// The snapshot holds microseconds; they are written as seconds.
    case seconds

    var name: StaticString {
        switch self {
        case .bytes: "bytes"
        case .seconds: "seconds"
        }
    }
}
