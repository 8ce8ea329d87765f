import Feeds

/// The agent's figures for exactly the streams iperf3 used, per direction: the join of the
/// end-of-run summary (`RunSummary`), from the newest scrape. Counters of a stream the agent
/// opened for this run count from zero, so these are the run's totals however long the agent
/// ran before; the agent's other streams (another client, iperf3's control connection) are
/// left out.
struct JoinedTotals {
    private(set) var figures: [String: [RunMetric: Double]] = [:]

    init(_ test: Iperf3Test, store: TimeSeriesStore, exactBytes: Bool) {
        let memo = QueryMemo(store: store)
        let summary = RunSummary(test, exactBytes: exactBytes, lookup: AgentLookup(memo: memo))
        let by = [Query.sourceLabel, "stream", "dir"]
        let drops = Self.newest(memo.evaluate(Query(metric: "bpagent_drops_total", sumBy: by), slots: 1))
        let buckets = memo.evaluate(Query(metric: "bpagent_stall_seconds_bucket", sumBy: by + ["le"]), slots: 1)
        for dir in ["c2s", "s2c"] {
            let rows = summary.rows.filter { !$0.isSum && $0.dir == dir && $0.agent != nil }
            guard !rows.isEmpty else { continue }
            let all = AgentFigures.combined(rows.compactMap(\.agent))
            let refs = Set(rows.compactMap(\.agentStream))
            func mine(_ r: QueryResult) -> Bool {
                r[label: "dir"] == dir && refs.contains(AgentStreamRef(instance: r[label: Query.sourceLabel] ?? "", stream: r[label: "stream"] ?? ""))
            }
            var histogram: [Double: Double] = [:]
            for r in buckets where mine(r) {
                if let le = r[label: "le"].flatMap(Double.init), let v = r.current { histogram[le, default: 0] += v }
            }
            let bounds = histogram.map { HistogramQuantile.Bucket(upperBound: $0.key, count: $0.value) }
            var totals: [RunMetric: Double] = [:]
            totals[.bufferFull] = all.bufferFull
            totals[.retries] = all.retries
            totals[.retriesMax] = all.mostRetries
            totals[.stallMax] = all.longestStall
            totals[.drops] = drops.filter { mine($0.result) }.reduce(0) { $0 + $1.value }
            for (metric, q) in [(RunMetric.stallP50, 0.5), (.stallP99, 0.99)] {
                let value = HistogramQuantile.quantile(q, of: bounds) ?? (bounds.isEmpty ? nil : 0)
                totals[metric] = value.map { v in all.longestStall.map { Swift.min(v, $0) } ?? v }
            }
            figures[dir] = totals
        }
    }

    private static func newest(_ results: [QueryResult]) -> [(result: QueryResult, value: Double)] {
        results.compactMap { r in r.current.map { (r, $0) } }
    }
}
