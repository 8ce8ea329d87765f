import Telemetry

/// Sums and histogram quantiles across query results.
enum SeriesSum {
    /// Series in the order results are shown in (label by label). Grouped results come in it
    /// already (`GroupPlan`): a slot of a group is nil only when every member is nil there, so
    /// one stream's gap does not blank the total (and a mean is over the members present).
    static func sorted(_ results: [QueryResult]) -> [QueryResult] {
        results.sorted(by: labelOrder)
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
        add(last: other.values, window: other.window, aggregate)
    }

    /// Adds a member's slots as a result of this group's length would hold them: the newest
    /// last, the slots before its first missing (`SlotWindow`'s padding), read in place.
    mutating func add<All: RandomAccessCollection<Double?>>(last all: All, window: Double?, _ aggregate: Aggregation)
    where All.Index == Int {
        let taken = Swift.min(all.count, counts.count)
        for k in 0..<taken {
            let (i, value) = (counts.count - taken + k, all[all.endIndex - taken + k])
            total.values[i] = SeriesSum.combine(total.values[i], value, aggregate)
            if value != nil { counts[i] += 1 }
        }
        add(window: window, aggregate)
    }

    /// Becomes the combination `k` slots later (0 < `k` < the slot count, or 0): its slots
    /// moved `k` towards the oldest, the newest `k` empty, the window figure cleared, for the
    /// members' newest slots and window figures to be added again. In place: nothing allocated
    /// when the arrays are this combination's alone.
    mutating func advance(by k: Int) {
        total.values.removeFirst(k)
        total.values.append(contentsOf: repeatElement(nil, count: k))
        counts.removeFirst(k)
        counts.append(contentsOf: repeatElement(0, count: k))
        total.window = nil
        windowCount = 0
    }

    /// Adds a member's window figure alone.
    mutating func add(window: Double?, _ aggregate: Aggregation) {
        total.window = SeriesSum.combine(total.window, window, aggregate)
        if window != nil { windowCount += 1 }
    }

    func result(_ aggregate: Aggregation) -> QueryResult {
        guard aggregate == .avg else { return total }
        var mean = total
        for i in mean.values.indices { mean.values[i] = mean.values[i].map { $0 / Double(counts[i]) } }
        mean.window = mean.window.map { $0 / Double(windowCount) }
        return mean
    }
}
