import Telemetry

/// Sums and histogram quantiles across query results.
enum SeriesSum {
    /// Groups `results` by the `sumBy` labels and adds them slot by slot. A slot is nil only
    /// when every member is nil there: one stream's gap must not blank the total.
    static func sum(_ results: [QueryResult], by sumBy: [String]?, slots: Int) -> [QueryResult] {
        guard let sumBy else { return results.sorted(by: labelOrder) }
        var groups: [LabelSet: QueryResult] = [:]
        for result in results {
            let key = result.labels.filter { sumBy.contains($0.name) }
            // In place: no copy of the running total per member.
            groups[key, default: QueryResult(labels: key, values: Array(repeating: nil, count: slots))].add(result)
        }
        return groups.values.sorted(by: labelOrder)
    }

    /// `results` are per-bucket increases (labels include `le`); sums them by `sumBy` (and
    /// `le`) and groups the buckets of each histogram.
    static func histogramGroups(_ results: [QueryResult], sumBy: [String]?, slots: Int) -> [HistogramGroup] {
        let byBucket = sum(results, by: sumBy.map { $0 + ["le"] }, slots: slots)
        var groups: [LabelSet: [(le: Double, increases: QueryResult)]] = [:]
        for result in byBucket {
            guard let le = result[label: "le"].flatMap(Double.init) else { continue }
            groups[result.labels.filter { $0.name != "le" }, default: []].append((le, result))
        }
        return groups.map { HistogramGroup(labels: $0.key, buckets: $0.value) }
    }

    /// The `q` quantile of each histogram per slot and over the whole window.
    static func quantiles(_ q: Double, of groups: [HistogramGroup], slots: Int) -> [QueryResult] {
        groups.map { group in
            let values = (0..<slots).map { slot in
                quantile(q, group.buckets.map { ($0.le, $0.increases.values[slot]) })
            }
            return QueryResult(labels: group.labels, values: values,
                               window: quantile(q, group.buckets.map { ($0.le, $0.increases.window) }))
        }.sorted(by: labelOrder)
    }

    fileprivate static func add(_ a: Double?, _ b: Double?) -> Double? {
        guard let a else { return b }
        guard let b else { return a }
        return a + b
    }

    private static func quantile(_ q: Double, _ buckets: [(Double, Double?)]) -> Double? {
        guard buckets.allSatisfy({ $0.1 != nil }) else { return nil }
        return HistogramQuantile.quantile(q, of: buckets.map { .init(upperBound: $0.0, count: $0.1!) })
    }

    private static func labelOrder(_ a: QueryResult, _ b: QueryResult) -> Bool {
        a.labels.lexicographicallyPrecedes(b.labels) { ($0.name, $0.value) < ($1.name, $1.value) }
    }
}

/// One histogram's buckets (their `le` bounds and per-slot increases), after summing.
struct HistogramGroup {
    let labels: LabelSet
    let buckets: [(le: Double, increases: QueryResult)]
}

private extension QueryResult {
    mutating func add(_ other: QueryResult) {
        for i in values.indices where i < other.values.count { values[i] = SeriesSum.add(values[i], other.values[i]) }
        window = SeriesSum.add(window, other.window)
    }
}
