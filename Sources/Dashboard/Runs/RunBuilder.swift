import Feeds

/// Builds a `MeasuredRun` from what the dashboard collected (see `MeasuredRun` for the seam):
/// `observe` after every ingest turns the agent's new slots into points and running totals,
/// so a run longer than the store's window (300 slots live) keeps all of its series; `run`
/// adds iperf3's intervals and summary and the agent's figures for the streams iperf3 used.
public struct RunBuilder: Sendable {
    /// Per agent source, the wall time of the newest slot already observed.
    private var seen: [String: Double] = [:]
    /// Wall time of the first observed slot: the run's time 0.
    private var origin: Double?
    private var last: Double?
    private var series: [String: RunDirection] = [:]
    private var streams: [String: RunSeries] = [:]
    /// Counter increases summed over the observed slots, per direction.
    private var increases: [String: [RunMetric: Double]] = [:]
    /// The stall histogram's bucket increases over the observed slots, per direction and bound.
    private var buckets: [String: [Double: Double]] = [:]
    /// Newest values of the agent's "largest so far" gauges, per direction.
    private var gauges: [String: [RunMetric: Double]] = [:]
    /// Wall time of iperf3's time 0: its first interval's slot (stamped when the line arrived)
    /// less that interval's end. (When its output began is later: iperf3 flushes its first lines
    /// with the first interval.)
    private var iperf3Start: Double?

    public init() {}

    /// Takes in the slots every agent source got since the last call (call it after each
    /// ingest; up to the store's capacity of slots per call).
    public mutating func observe(_ data: CollectedData) {
        let store = data.store
        if iperf3Start == nil, let feed = data.iperf3, let end = feed.currentTest?.intervals.first(where: { $0.stream != nil })?.end,
           let first = store.slotTimes(of: feed.sourceName, count: store.capacity).first(where: \.isFinite) {
            iperf3Start = first - end
        }
        for source in store.sourceNames where source != data.iperf3?.sourceName {
            let times = store.slotTimes(of: source, count: store.capacity).filter(\.isFinite)
            let fresh = times.filter { $0 > (seen[source] ?? -.infinity) }
            guard let newest = fresh.last else { continue }
            seen[source] = newest
            origin = Swift.min(origin ?? fresh[0], fresh[0])
            last = Swift.max(last ?? newest, newest)
            let before = times.count > fresh.count ? times[times.count - fresh.count - 1] : nil
            observe(store, source: source, times: fresh, previous: before)
        }
    }

    private mutating func observe(_ store: TimeSeriesStore, source: String, times: [Double], previous: Double?) {
        let memo = QueryMemo(store: store)
        let k = times.count
        let only: [String: LabelMatcher] = [Query.sourceLabel: LabelMatcher(rawValue: source)]
        func perDir(_ metric: String, rate: Bool = false, quantile: Double? = nil, aggregate: Aggregation = .sum) -> [QueryResult] {
            memo.evaluate(Query(metric: metric, matchers: only, rate: rate, sumBy: ["dir"], aggregate: aggregate, quantile: quantile,
                                atMost: quantile == nil ? nil : "bpagent_agent_stall_max_seconds"), slots: k)
        }
        let seconds = times.indices.map { i in i == 0 ? previous.map { times[0] - $0 } : times[i] - times[i - 1] }
        // Every figure of a slot covers the time since the slot before: drawn at its middle, as
        // iperf3's intervals are.
        let middles = times.indices.map { i in
            let start = i == 0 ? previous : times[i - 1]
            return (start.map { ($0 + times[i]) / 2 } ?? times[i]) - origin!
        }
        func points(_ result: QueryResult) -> [RunPoint] {
            zip(middles, result.values).map { RunPoint(time: Swift.max($0, 0), value: $1) }
        }
        func add(_ results: [QueryResult], to path: WritableKeyPath<RunDirection, [RunPoint]>?, total: RunMetric? = nil) {
            for r in results {
                guard let dir = r[label: "dir"] else { continue }
                if let path { series[dir, default: RunDirection(dir: dir)][keyPath: path] += points(r) }
                guard let total else { continue }
                for (rate, dt) in zip(r.values, seconds) { if let rate, let dt { increases[dir, default: [:]][total, default: 0] += rate * dt } }
            }
        }
        add(perDir("bpagent_agent_bytes_total", rate: true), to: \.agentThroughput, total: .bytes)
        add(perDir("bpagent_agent_buffer_full_total", rate: true), to: \.bufferFullRate, total: .bufferFull)
        add(perDir("bpagent_agent_retries_total", rate: true), to: \.retriesRate, total: .retries)
        add(perDir("bpagent_agent_stall_seconds", quantile: 0.99), to: \.stallP99)
        add(perDir("bpagent_agent_stall_seconds", quantile: 1), to: \.stallMax)
        add(perDir("bpagent_agent_drops_total", rate: true), to: nil, total: .drops)
        for group in store.histogram(Query(metric: "bpagent_agent_stall_seconds", matchers: only, sumBy: ["dir"]), slots: k, perSlot: true) {
            guard let dir = group.labels.value(of: "dir") else { continue }
            for bucket in group.buckets {
                buckets[dir, default: [:]][bucket.le, default: 0] += bucket.increases.values.compactMap { $0 }.reduce(0, +)
            }
        }
        for (metric, gauge) in [(RunMetric.stallMax, "bpagent_agent_stall_max_seconds"), (.retriesMax, "bpagent_agent_retries_per_event_max")] {
            for r in perDir(gauge, aggregate: .max) {
                if let dir = r[label: "dir"], let v = r.values.last(where: { $0 != nil }) ?? nil { gauges[dir, default: [:]][metric] = v }
            }
        }
        let perStream = memo.evaluate(Query(metric: "bpagent_bytes_total", matchers: only, rate: true,
                                            sumBy: [Query.sourceLabel, "stream", "dir"]), slots: k)
        for r in perStream {
            guard let stream = r[label: "stream"], let dir = r[label: "dir"] else { continue }
            let key = "\(dir)\u{1F}\(source)\u{1F}\(stream)"
            streams[key, default: RunSeries(name: "agent \(stream) \(dir)", points: [])].points += points(r)
        }
    }

    /// The run so far: the observed agent series and totals, with iperf3's test (the one on
    /// screen) and, when iperf3 ran through the agent, the agent's figures for exactly its streams.
    public func run(_ data: CollectedData, title: String, started: String? = nil) -> MeasuredRun {
        var directions = series
        let test = data.iperf3?.currentTest
        let agentSeen = directions.values.contains { d in d.agentThroughput.contains { $0.value != nil } }
        // iperf3's time 0 on the agent's axis (live), else the run's start.
        let offset = agentSeen ? Swift.max((iperf3Start ?? origin ?? 0) - (origin ?? 0), 0) : 0
        var joined: JoinedTotals?
        if let test, data.store.sourceNames.contains(where: { $0 != data.iperf3?.sourceName }) {
            joined = JoinedTotals(test, store: data.store, exactBytes: data.iperf3?.report.format != .text)
        }
        if let test {
            let throughput = Iperf3Series.throughput(test, offset: offset)
            // The run is iperf3's: a direction it sent nothing in (its control connection's) is not part of it.
            if !throughput.isEmpty { directions = directions.filter { throughput[$0.key] != nil } }
            for (dir, points) in throughput { directions[dir, default: RunDirection(dir: dir)].iperf3Throughput = points }
        }
        let iperf3Streams = test.map { Iperf3Series.streams($0, offset: offset) } ?? [:]
        let agentSpan = (last ?? 0) - (origin ?? 0)
        let seconds = test.map { RunSummary($0, exactBytes: false, lookup: nil).seconds + offset } ?? agentSpan
        for dir in directions.keys {
            var d = directions[dir]!
            d.streams = iperf3Streams[dir] ?? streams.filter { $0.key.hasPrefix(dir + "\u{1F}") }.sorted { $0.key < $1.key }.map(\.value)
            let rates = (d.iperf3Throughput.isEmpty ? d.agentThroughput : d.iperf3Throughput).compactMap(\.value)
            if !rates.isEmpty {
                d.totals[.throughputMean] = rates.reduce(0, +) / Double(rates.count)
                d.totals[.throughputMin] = rates.min()
                d.totals[.throughputMax] = rates.max()
            }
            if let test, let figures = Iperf3Series.totals(test, dir: dir, exactBytes: data.iperf3?.report.format != .text) {
                d.totals[.bytes] = figures.bytes
                d.totals[.retransmits] = figures.retransmits
            }
            if let agent = joined?.figures[dir] {
                d.totals.merge(agent) { iperf3, _ in iperf3 }
            } else if agentSeen {
                d.totals.merge(observedTotals(dir)) { iperf3, _ in iperf3 }
            }
            if seconds > 0 {
                d.totals[.bufferFullRate] = d.totals[.bufferFull].map { $0 / seconds }
                d.totals[.retriesRate] = d.totals[.retries].map { $0 / seconds }
            }
            // A direction only a single scrape named (no rates, nothing joined) has nothing to show.
            directions[dir] = d.totals.isEmpty ? nil : d
        }
        let order = ["c2s", "s2c"]
        let sorted = directions.values.sorted { (order.firstIndex(of: $0.dir) ?? 2, $0.dir) < (order.firstIndex(of: $1.dir) ?? 2, $1.dir) }
        return MeasuredRun(title: title, started: started ?? test?.startTime, seconds: seconds, directions: sorted)
    }

    /// The agent's totals over the observed slots, for a run without iperf3 streams to join.
    private func observedTotals(_ dir: String) -> [RunMetric: Double] {
        var totals = increases[dir] ?? [:]
        for metric in [RunMetric.bufferFull, .retries, .drops] where totals[metric] == nil { totals[metric] = 0 }
        totals.merge(gauges[dir] ?? [:]) { a, _ in a }
        let histogram = (buckets[dir] ?? [:]).map { HistogramQuantile.Bucket(upperBound: $0.key, count: $0.value) }
        for (metric, q) in [(RunMetric.stallP50, 0.5), (.stallP99, 0.99)] {
            let value = HistogramQuantile.quantile(q, of: histogram)
            totals[metric] = value.map { v in totals[.stallMax].map { Swift.min(v, $0) } ?? v } ?? (histogram.isEmpty ? nil : 0)
        }
        return totals
    }
}
