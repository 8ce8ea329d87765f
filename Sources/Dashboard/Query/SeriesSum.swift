import Telemetry

/// Sums and histogram quantiles across query results.
enum SeriesSum {
    /// Groups `results` by the `sumBy` labels and combines them slot by slot with `aggregate`,
    /// in label order. A slot is nil only when every member is nil there: one stream's gap must
    /// not blank the total (and the mean is over the members present in that slot). `plan`, when
    /// given, is the grouping of these very results made earlier (see `LayoutPlans`).
    static func sum(_ results: [QueryResult], by sumBy: [String]?, aggregate: Aggregation = .sum,
                    slots: Int, plan: GroupPlan? = nil) -> [QueryResult] {
        guard let sumBy else { return results.sorted(by: labelOrder) }
        return (plan ?? GroupPlan(results.map(\.labels), by: sumBy)).combine(results, aggregate: aggregate, slots: slots)
    }

    /// `results` are per-bucket increases (labels include `le`); sums them by `sumBy` (and
    /// `le`) and groups the buckets of each histogram (see `HistogramPlan`).
    static func histogramGroups(_ results: [QueryResult], sumBy: [String]?, slots: Int, plan: HistogramPlan? = nil) -> [HistogramGroup] {
        (plan ?? HistogramPlan(results.map(\.labels), sumBy: sumBy)).sum(results, slots: slots)
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
        a.labels.precedes(b.labels)
    }
}

/// One histogram's buckets (their `le` bounds and per-slot increases, without labels), after summing.
struct HistogramGroup {
    let labels: LabelSet
    let buckets: [(le: Double, increases: QueryResult)]
}

/// A group's running combination, with how many members each slot had (for `avg`).
struct Combined {
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
