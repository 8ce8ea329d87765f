import Telemetry

/// One series a query selects: its source and its place among the source's series.
struct SeriesOrigin: Hashable, Sendable {
    let source: String
    let index: Int
}

/// What decides which series a query selects (its metric or pattern, matchers, and for a
/// pattern the type it takes), apart from what only shapes its results.
private struct Selection: Hashable, Sendable {
    let metric: String
    let matchers: [String: LabelMatcher]
    let rate: Bool
    let type: MetricType?

    init(_ query: Query) {
        (metric, matchers, rate, type) = (query.metric, query.matchers, query.rate, query.type)
    }
}

extension TimeSeriesStore {
    /// The series `query` selects, in result order (sources by name, a metric's series in
    /// label order). Which series, not their values: it changes only with the layout, so it is
    /// worked out once per layout (`LayoutPlans`) and a frame reads no labels to find them.
    func members(_ query: Query) -> [SeriesOrigin] {
        plans.plan(Selection(query), layout: layoutToken, fits: { (_: [SeriesOrigin]) in true }) {
            sourceNames.flatMap { source in
                let reader = WindowReader(self, source: source, query: query, slots: 1, valueSlots: 0)
                return reader.candidates.filter(reader.selects).map { SeriesOrigin(source: source, index: $0) }
            }
        }
    }

    /// The labels of each series `query` selects, as its result carries them: what grouping
    /// plans are made from.
    func memberLabels(_ query: Query) -> [LabelSet] {
        var reader: WindowReader?
        return members(query).map { origin in
            if reader?.source != origin.source { reader = WindowReader(self, source: origin.source, query: query, slots: 1, valueSlots: 0) }
            return reader!.labels(origin.index)
        }
    }

    /// The series `query` selects, each turned into slot values by `transform`; `labeled`
    /// false leaves the results' labels empty (results summed by a plan need none, and reading
    /// every series' labels was a cache miss each).
    func selected(_ query: Query, slots: Int, valueSlots: Int, labeled: Bool,
                  transform: (SlotWindow) -> QueryResult) -> [QueryResult] {
        var out: [QueryResult] = []
        forEachWindow(query, of: members(query), slots: slots, valueSlots: valueSlots, labeled: labeled) { _, window in
            out.append(transform(window))
        }
        return out
    }

    /// Each of `members` (`members(query)`, which a caller often holds already) by its position,
    /// with its window.
    func forEachWindow(_ query: Query, of members: [SeriesOrigin], slots: Int, valueSlots: Int, labeled: Bool,
                       _ body: (Int, SlotWindow) -> Void) {
        forEachSeries(query, of: members, slots: slots, valueSlots: valueSlots) { position, reader, index in
            body(position, reader.window(index, labels: labeled ? reader.labels(index) : []))
        }
    }

    /// Each of `members` by its position, with the reader of its source and its index there:
    /// for a caller that may need less than the series' window (`WindowReader.increase`).
    func forEachSeries(_ query: Query, of members: [SeriesOrigin], slots: Int, valueSlots: Int,
                       _ body: (Int, WindowReader, Int) -> Void) {
        var reader: WindowReader?
        for (position, origin) in members.enumerated() {
            if reader?.source != origin.source {
                reader = WindowReader(self, source: origin.source, query: query, slots: slots, valueSlots: valueSlots)
            }
            body(position, reader!, origin.index)
        }
    }
}

/// Reads one source's series for one query: the window's scrape times and epochs are taken
/// once per source, not per series.
struct WindowReader {
    let source: String
    private let history: SourceHistory
    private let query: Query
    private let slots: Int
    private let valueSlots: Int
    private let times: [Double]
    private let epochs: [Int]
    /// A metric's series share its type: one lookup per source (nil for a pattern: per series).
    private let metricType: MetricType?

    init(_ store: TimeSeriesStore, source: String, query: Query, slots: Int, valueSlots: Int) {
        self.source = source
        history = store.sources[source]!
        self.query = query
        self.slots = slots
        self.valueSlots = valueSlots
        times = history.times.suffix(slots + 1)
        epochs = history.epochs.suffix(slots + 1)
        metricType = query.isPattern ? nil : history.types[query.metric]
    }

    /// The series of the query's metric (every series for a pattern).
    var candidates: [Int] {
        query.isPattern ? Array(history.series.indices) : history.byMetric[query.metric] ?? []
    }

    /// Fields are read in place (`history.series[index].…`): binding a series to a local would
    /// copy it, retaining its strings and arrays, for every series of every query.
    func selects(_ index: Int) -> Bool {
        guard query.selects(sampleName: history.series[index].id.metric) else { return false }
        if query.isPattern && (query.rate || query.type != nil) {
            let metric = history.series[index].id.metric
            if Self.kind(metric, type: history.types[metric]) != (query.type ?? .counter) { return false }
        }
        guard !query.matchers.isEmpty else { return true }
        let set = labels(index)
        return query.matchers.allSatisfy { $0.value.matches(set.value(of: $0.key)) }
    }

    /// The labels of series `index`'s result (with `__name__` for a pattern).
    func labels(_ index: Int) -> LabelSet {
        query.isPattern
            ? LabelSet(sorting: history.series[index].labels + [.init(Query.nameLabel, history.series[index].id.metric)])
            : history.series[index].labels
    }

    func window(_ index: Int, labels: LabelSet) -> SlotWindow {
        let first = history.newestSlot - slots
        let monotone = history.series[index].lastBreak < first && epochs.first == epochs.last
        let constant = valueSlots == 0 && monotone && history.series[index].lastChange < first && history.series[index].stamps == nil
        var window = SlotWindow(values: constant ? SlotWindow.unread : history.series[index].values.window(slots + 1), times: times,
                                epochs: epochs, slots: valueSlots, labels: labels, stamps: history.series[index].stamps?.suffix(slots + 1))
        window.type = type(of: index)
        window.monotone = monotone
        window.constant = constant ? history.series[index].newest : nil
        if query.rate, let stamps = history.series[index].stamps {
            // A rate held from observations before the window: read the series' whole history.
            let all = CounterMath.observations(history.series[index].values.suffix(history.capacity), stamps: stamps.suffix(history.capacity))
            let held = CounterMath.heldRates(all.values, times: all.times, epochs: history.epochs.suffix(history.capacity))
            window.heldRates = Array(held.suffix(slots + 1))
        }
        return window
    }

    /// Whether series `index` carries timestamps of its own (its rates are held over them).
    func hasOwnStamps(_ index: Int) -> Bool { history.series[index].stamps != nil }

    /// The type of the family series `index` belongs to.
    func type(of index: Int) -> MetricType? {
        query.isPattern ? history.types[history.series[index].id.metric] : metricType
    }

    /// Series `index`'s increase over the window and the seconds it spans, as its window gives
    /// them (`SlotWindow.increase`), read without building the window where the series allows:
    /// 0 when it has not changed within the window, last − first when it only rose in it (a
    /// table's window figures read every bucket of every stream's histogram every frame, most
    /// of them standing still). Not for a series with timestamps of its own.
    ///
    /// The window starts at its oldest slot (a younger source has fewer): a break or a change
    /// at that slot itself is between it and a slot outside the window.
    func increase(_ index: Int) -> (increase: Double, seconds: Double)? {
        let (newest, start) = (times.count - 1, history.newestSlot - (times.count - 1))
        if newest > 0, history.series[index].stamps == nil, history.series[index].lastBreak <= start, epochs.first == epochs.last {
            let seconds = times[newest] - times[0]
            // Every slot after the last break has a value; a break at the window's first slot may be a gap.
            if history.series[index].lastBreak < start, history.series[index].lastChange <= start { return (0, seconds) }
            let values = history.series[index].values.window(times.count)
            if values.count == times.count, let old = values[0] {
                if history.series[index].lastChange <= start { return (0, seconds) }
                if let new = values[newest] { return (new - old, seconds) }
            }
        }
        return window(index, labels: []).increaseAndSeconds
    }

    /// What a pattern query takes a series for: a pattern with `rate` takes counters only (rates
    /// of gauges mean nothing, and histogram parts would crowd out real counters); untyped series
    /// count as counters when named `*_total`, else as gauges.
    private static func kind(_ name: String, type: MetricType?) -> MetricType? {
        guard let type, type != .untyped else { return name.hasSuffix("_total") ? .counter : .gauge }
        return type
    }
}
