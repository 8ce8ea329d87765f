/// Evaluates each distinct query once per frame. A dashboard asks the same question in several
/// places (the header's total is also the chart's line; "now" and "avg" share a rate query;
/// p50, p99 and max share one histogram's bucket sums), and evaluation walks every selected
/// series over the whole window.
final class QueryMemo {
    private struct Key: Hashable {
        let query: Query
        let slots: Int
        let perSlot: Bool
    }

    let store: TimeSeriesStore
    private var results: [Key: [QueryResult]] = [:]
    private var histograms: [Key: [HistogramGroup]] = [:]

    init(store: TimeSeriesStore) {
        self.store = store
    }

    /// `perSlot` false: only each result's window figure (see `TimeSeriesStore.evaluate`).
    func evaluate(_ query: Query, slots: Int, perSlot: Bool = true) -> [QueryResult] {
        let key = Key(query: query, slots: slots, perSlot: perSlot)
        if let cached = results[key] { return cached }
        let fresh = store.evaluate(query, slots: slots, perSlot: perSlot, histogram: { histogram(query, slots: $0, perSlot: perSlot) },
                                   bound: { evaluate($0, slots: $1) })
        results[key] = fresh
        return fresh
    }

    /// Bucket sums shared by every quantile of the same histogram and grouping.
    private func histogram(_ query: Query, slots: Int, perSlot: Bool) -> [HistogramGroup] {
        var base = query
        base.quantile = nil
        let key = Key(query: base, slots: slots, perSlot: perSlot)
        if let cached = histograms[key] { return cached }
        let fresh = store.histogram(query, slots: slots, perSlot: perSlot)
        histograms[key] = fresh
        return fresh
    }
}
