import Telemetry

/// One series (or sum of series) a query produced, over the last N slots of its source.
public struct QueryResult: Equatable, Sendable {
    /// Sorted by name; includes `instance` unless it was summed away.
    public var labels: [PrometheusSample.Label]
    /// One value per slot, oldest first, exactly N long; nil is a gap (or no data yet).
    public var values: [Double?]
    /// The value over the whole window where that differs from averaging the slots: the
    /// average rate from the first to the last scrape present (reset-aware), or the quantile
    /// of every observation in the window.
    public var window: Double?

    public init(labels: [PrometheusSample.Label], values: [Double?], window: Double? = nil) {
        self.labels = labels
        self.values = values
        self.window = window
    }

    /// The newest slot's value (nil when the newest scrape failed).
    public var current: Double? { values.last ?? nil }

    /// `window` when the query has one, else the mean of the slots present.
    public var average: Double? {
        if let window { return window }
        let present = values.compactMap { $0 }
        return present.isEmpty ? nil : present.reduce(0, +) / Double(present.count)
    }

    public var max: Double? { values.compactMap { $0 }.max() }

    public subscript(label name: String) -> String? {
        labels.first { $0.name == name }?.value
    }

    /// `name{a="x",b="y"}` (without `instance` when `includeSource` is false), for showing a
    /// series of an unknown exporter.
    public func seriesDescription(includeSource: Bool) -> String {
        let shown = labels.filter { $0.name != Query.nameLabel && (includeSource || $0.name != Query.sourceLabel) }
        let body = shown.map { "\($0.name)=\"\($0.value)\"" }.joined(separator: ",")
        let name = self[label: Query.nameLabel] ?? ""
        return body.isEmpty ? name : "\(name){\(body)}"
    }
}
