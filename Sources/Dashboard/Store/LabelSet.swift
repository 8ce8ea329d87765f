import Telemetry

/// A series' labels sorted by name: two scrapes that write the same labels in a different
/// order still land in the same series.
typealias LabelSet = [PrometheusSample.Label]

extension LabelSet {
    init(sorting labels: [PrometheusSample.Label]) {
        // Exporters mostly write labels in order already: then this is a check, not a copy.
        let inOrder = labels.indices.dropFirst().allSatisfy { labels[$0 - 1].name <= labels[$0].name }
        self = inOrder ? labels : labels.sorted { $0.name < $1.name }
    }

    func value(of name: String) -> String? {
        first { $0.name == name }?.value
    }

    /// Whether `labels` (unsorted, names unique as the parser guarantees) are these labels:
    /// a check without sorting or hashing them.
    func hasSameLabels(as labels: [PrometheusSample.Label]) -> Bool {
        count == labels.count && labels.allSatisfy(contains)
    }

    /// The order query results are shown in: label by label, names as text, values in natural
    /// order (stream 9 before 10).
    func precedes(_ other: LabelSet) -> Bool {
        lexicographicallyPrecedes(other) {
            $0.name != $1.name ? $0.name < $1.name : NaturalOrder.less($0.value, $1.value)
        }
    }
}
