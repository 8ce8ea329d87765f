import Telemetry

/// Sums and histogram quantiles across query results.
enum SeriesSum {
    /// Groups `results` by the `sumBy` labels and combines them slot by slot with `aggregate`.
    /// A slot is nil only when every member is nil there: one stream's gap must not blank the
    /// total (and the mean is over the members present in that slot).
    static func sum(_ results: [QueryResult], by sumBy: [String]?, aggregate: Aggregation = .sum,
                    slots: Int) -> [QueryResult] {
        grouped(results, by: sumBy, aggregate: aggregate, slots: slots).sorted(by: labelOrder)
    }

    /// `sum` in the order each group first appears: the store gives a metric's series in label
    /// order, so the sort after is mostly a check. (The natural-order sort of every bucket
    /// series was half of bptop's time at 256 streams; the histogram regrouping does without.)
    private static func grouped(_ results: [QueryResult], by sumBy: [String]?, aggregate: Aggregation = .sum,
                                slots: Int) -> [QueryResult] {
        guard let sumBy else { return results }
        var groups: [Combined] = []
        var index: [LabelSet: Int] = [:]
        for result in results {
            let key = result.labels.filter { sumBy.contains($0.name) }
            guard let g = index[key] else {
                index[key] = groups.count
                groups.append(Combined(labels: key, slots: slots))
                groups[groups.count - 1].add(result, aggregate)
                continue
            }
            groups[g].add(result, aggregate)  // in place: no copy of the running total per member
        }
        return groups.map { $0.result(aggregate) }
    }

    /// `results` are per-bucket increases (labels include `le`); sums them by `sumBy` (and
    /// `le`) and groups the buckets of each histogram, in one pass: each result is hashed once,
    /// by its histogram's labels, and finds its bucket by the `le` text within it (summing by
    /// `sumBy` + `le` first and regrouping after hashed every bucket series twice, 13 % of bptop
    /// at 1,000 streams). Results without a numeric `le` belong to no bucket and are left out.
    /// Groups and buckets come in the order they first appear: `quantiles` sorts the groups,
    /// `HistogramQuantile` the buckets.
    static func histogramGroups(_ results: [QueryResult], sumBy: [String]?, slots: Int) -> [HistogramGroup] {
        var groups: [(labels: LabelSet, buckets: [(le: Double, sum: Combined)], byLe: [String: Int])] = []
        var index: [LabelSet: Int] = [:]
        for result in results {
            guard let text = result[label: "le"] else { continue }
            // Summed over everything (`sumBy` []): one group, no labels to filter.
            let labels = sumBy?.isEmpty == true ? [] : result.labels.filter { $0.name != "le" && (sumBy?.contains($0.name) ?? true) }
            let found = index[labels]
            // Without `sumBy` every series is a bucket of its own, as it is.
            if sumBy != nil, let g = found, let b = groups[g].byLe[text] {
                groups[g].buckets[b].sum.add(result, .sum)  // in place: no copy of the running total
                continue
            }
            // A new bucket: its bound is read once.
            guard let le = Double(text) else { continue }
            let g = found ?? {
                index[labels] = groups.count
                groups.append((labels, [], [:]))
                return groups.count - 1
            }()
            groups[g].byLe[text] = groups[g].buckets.count
            var sum = Combined(labels: result.labels, slots: slots)
            sum.add(result, .sum)
            groups[g].buckets.append((le, sum))
        }
        return groups.map { group in
            HistogramGroup(labels: group.labels, buckets: group.buckets.map { ($0.le, $0.sum.result(.sum)) })
        }
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
