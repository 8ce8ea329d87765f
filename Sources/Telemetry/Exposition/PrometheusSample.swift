/// One line of a Prometheus text exposition: a series (name and labels) and its value.
public struct PrometheusSample: Sendable {
    /// One `name="value"` pair. Labels stay in the order the exposition wrote them, so a
    /// sample can be shown the way its exporter meant it to be read.
    public struct Label: Hashable, Sendable {
        public var name: String
        public var value: String

        public init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
        }
    }

    /// The name as written on the line (`foo_bucket`, not the family `foo`).
    public var name: String
    public var labels: [Label]
    public var value: Double
    /// Milliseconds since the Unix epoch, when the exporter stamped the sample itself.
    public var timestampMillis: Int64?

    public init(name: String, labels: [Label] = [], value: Double, timestampMillis: Int64? = nil) {
        self.name = name
        self.labels = labels
        self.value = value
        self.timestampMillis = timestampMillis
    }

    /// The value of the label called `name`, if the sample has one.
    public subscript(label name: String) -> String? {
        labels.first { $0.name == name }?.value
    }
}

extension PrometheusSample: Equatable {
    /// Compares values so that NaN equals NaN: `NaN` is an ordinary exported value (a gauge
    /// with nothing to report), and a sample must equal its own copy for `Equatable` to hold.
    public static func == (lhs: PrometheusSample, rhs: PrometheusSample) -> Bool {
        lhs.name == rhs.name && lhs.labels == rhs.labels && lhs.timestampMillis == rhs.timestampMillis
            && (lhs.value == rhs.value || (lhs.value.isNaN && rhs.value.isNaN))
    }
}
