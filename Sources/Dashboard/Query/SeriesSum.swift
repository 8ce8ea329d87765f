import Telemetry

/// Sums and histogram quantiles across query results.
enum SeriesSum {
    /// Groups `results` by the `sumBy` labels and combines them slot by slot with `aggregate`.
    /// A slot is nil only when every member is nil there: one stream's gap must not blank the
    /// total (and the mean is over the members present in that slot).
    static func sum(_ results: [QueryResult], by sumBy: [String]?, aggregate: Aggregation = .sum,
                    slots: Int) -> [QueryResult] {
        unordered(results, by: sumBy, aggregate: aggregate, slots: slots).sorted(by: labelOrder)
    }

    /// `sum` in no particular order, for callers that regroup the results anyway: the
    /// natural-order sort of every bucket series was half of bptop's time at 256 streams.
    private static func unordered(_ results: [QueryResult], by sumBy: [String]?, aggregate: Aggregation = .sum,
                                  slots: Int) -> [QueryResult] {
        guard let sumBy else { return results }
        var groups: [LabelSet: Combined] = [:]
        for result in results {
            let key = result.labels.filter { sumBy.contains($0.name) }
            // In place: no copy of the running total per member.
            groups[key, default: Combined(labels: key, slots: slots)].add(result, aggregate)
        }
        return groups.values.map { $0.result(aggregate) }
    }

    /// `results` are per-bucket increases (labels include `le`); sums them by `sumBy` (and
    /// `le`) and groups the buckets of each histogram. The order of groups and of buckets is
    /// not kept: `quantiles` sorts the groups, `HistogramQuantile` the buckets.
    static func histogramGroups(_ results: [QueryResult], sumBy: [String]?, slots: Int) -> [HistogramGroup] {
        let byBucket = unordered(results, by: sumBy.map { $0 + ["le"] }, slots: slots)
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

    fileprivate static func combine(_ a: Double?, _ b: Double?, _ aggregate: Aggregation) -> Double? {
        guard let a else { return b }
        guard let b else { return a }
        switch aggregate {
        case .sum, .avg: return a + b
        case .max: return Swift.max(a, b)
        case .min: return Swift.min(a, b)
        }
    }

    private static func quantile(_ q: Double, _ buckets: [(Double, Double?)]) -> Double? {
        guard buckets.allSatisfy({ $0.1 != nil }) else { return nil }
        return HistogramQuantile.quantile(q, of: buckets.map { .init(upperBound: $0.0, count: $0.1!) })
    }

    private static func labelOrder(_ a: QueryResult, _ b: QueryResult) -> Bool {
        a.labels.lexicographicallyPrecedes(b.labels) {
            $0.name != $1.name ? $0.name < $1.name : NaturalOrder.less($0.value, $1.value)
        }
    }
}

/// One histogram's buckets (their `le` bounds and per-slot increases), after summing.
struct HistogramGroup {
    let labels: LabelSet
    let buckets: [(le: Double, increases: QueryResult)]
}

/// A group's running combination, with how many members each slot had (for `avg`).
private struct Combined {
    var total: QueryResult
    var counts: [Int]
    var windowCount = 0

    init(labels: LabelSet, slots: Int) {
        total = QueryResult(labels: labels, values: Array(repeating: nil, count: slots))
        counts = Array(repeating: 0, count: slots)
    }

    mutating func add(_ other: QueryResult, _ aggregate: Aggregation) {
        for i in total.values.indices where i < other.values.count {
            total.values[i] = SeriesSum.combine(total.values[i], other.values[i], aggregate)
            if other.values[i] != nil { counts[i] += 1 }
        }
        total.window = SeriesSum.combine(total.window, other.window, aggregate)
        if other.window != nil { windowCount += 1 }
    }

    func result(_ aggregate: Aggregation) -> QueryResult {
        guard aggregate == .avg else { return total }
        var mean = total
        for i in mean.values.indices { mean.values[i] = mean.values[i].map { $0 / Double(counts[i]) } }
        mean.window = mean.window.map { $0 / Double(windowCount) }
        return mean
    }
}
