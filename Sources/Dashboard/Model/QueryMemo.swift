/// Evaluates each distinct query once per frame. A dashboard asks the same question in several
/// places (the header's total is also the chart's line; "now" and "avg" share a rate query),
/// and evaluation walks every selected series over the whole window.
final class QueryMemo {
    private struct Key: Hashable {
        let query: Query
        let slots: Int
    }

    let store: TimeSeriesStore
    private var results: [Key: [QueryResult]] = [:]

    init(store: TimeSeriesStore) {
        self.store = store
    }

    func evaluate(_ query: Query, slots: Int) -> [QueryResult] {
        let key = Key(query: query, slots: slots)
        if let cached = results[key] { return cached }
        let fresh = store.evaluate(query, slots: slots)
        results[key] = fresh
        return fresh
    }
}
