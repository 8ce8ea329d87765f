import Telemetry

extension TimeSeriesStore {
    /// Evaluates `query` over the newest `slots` slots of every source. Results are sorted
    /// by their labels, or by current value (highest first) when `topK` is set.
    /// With `perSlot` false, rates and quantiles get only their `window` figure (`values` stay
    /// empty): what a table cell showing the window's average needs, at a fraction of the cost.
    public func evaluate(_ query: Query, slots: Int, perSlot: Bool = true) -> [QueryResult] {
        evaluate(query, slots: slots, perSlot: perSlot, histogram: { histogram(query, slots: $0, perSlot: perSlot) },
                 bound: { evaluate($0, slots: $1) })
    }

    /// `histogram` gives a quantile query's bucket sums, so a caller evaluating several
    /// quantiles of the same histogram (p50, p99, max) can compute them once; `bound` evaluates
    /// the `atMost` gauge, which those quantiles (and often a "worst stall" figure) share too.
    func evaluate(_ query: Query, slots: Int, perSlot: Bool, histogram: (Int) -> [HistogramGroup],
                  bound: (Query, Int) -> [QueryResult]) -> [QueryResult] {
        let slots = Swift.max(slots, 1)
        // Raw values have no window figure of their own: their average is the mean of the slots.
        let valueSlots = perSlot || (!query.rate && query.quantile == nil) ? slots : 0
        var results: [QueryResult]
        if let q = query.quantile {
            results = SeriesSum.quantiles(q, of: histogram(slots), slots: valueSlots)
            if let gauge = query.atMost {
                let maxima = bound(Query(metric: gauge, matchers: query.matchers, sumBy: query.sumBy, aggregate: .max), slots)
                results = clamp(results, to: maxima, valueSlots: valueSlots)
            }
        } else if let sumBy = query.sumBy {
            results = grouped(query, by: sumBy, slots: slots, valueSlots: valueSlots)
        } else {
            let series = selected(query, slots: slots, valueSlots: valueSlots, labeled: true) { window in
                query.rate ? window.rates() : window.raw()
            }
            results = SeriesSum.sorted(series)
        }
        guard let k = query.topK else { return results }
        return Array(results.sorted { ($0.current ?? -.infinity) > ($1.current ?? -.infinity) }.prefix(k))
    }

    /// `query`'s series combined by its `sumBy` groups (planned once per layout), each series'
    /// slots added into its group as they are read: no result, array or labels per series.
    /// Per-slot sums of a steady plan are kept from frame to frame (`RunningGroups`): only the
    /// slots scraped since are added, with every series' window figure.
    private func grouped(_ query: Query, by sumBy: [String], slots: Int, valueSlots: Int) -> [QueryResult] {
        let members = members(query)
        let plan = plans.plan(query, layout: layoutToken, fits: { $0.groupOf.count == members.count }) {
            GroupPlan(memberLabels(query), by: sumBy, steady: Set(members.map(\.source)).count == 1
                          && members.allSatisfy { sources[$0.source]!.series[$0.index].stamps == nil })
        }
        let key = RunningGroups.Evaluation(query: query, slots: slots, valueSlots: valueSlots)
        let newest = members.first.map { sources[$0.source]!.newestSlot }
        var (groups, fresh): ([Combined], Int) = ([], valueSlots)
        // One slot (a table's "now") has nothing to carry: a new scrape replaces it whole.
        let carried = plan.steady && valueSlots > 1
        // Taken out of the plans, the sums are this frame's alone: moved on in place.
        if carried, let newest, var running: RunningGroups = plans.take(key, layout: layoutToken),
           running.groups.count == plan.labels.count, (0..<valueSlots).contains(newest - running.newestSlot) {
            fresh = newest - running.newestSlot
            swap(&groups, &running.groups)
            for g in groups.indices { groups[g].advance(by: fresh) }
        } else {
            groups = plan.labels.map { Combined(labels: $0, slots: valueSlots) }
        }
        forEachSeries(query, of: members, slots: slots, valueSlots: valueSlots) { position, reader, index in
            let g = plan.groupOf[position]
            // A window figure alone (a table's "avg"), or the newest rate alone (its "now", the
            // window's figure too): read without the window where it can be.
            if query.rate, valueSlots == 0 || (valueSlots == 1 && slots == 1), !reader.hasOwnStamps(index) {
                let rate = CounterMath.averageRate(reader.increase(index))
                if valueSlots == 1 { groups[g].add(last: CollectionOfOne(rate), window: nil, query.aggregate) }
                groups[g].add(window: rate, query.aggregate)
                return
            }
            let window = reader.window(index, labels: [])
            if window.stamps != nil {
                groups[g].add(query.rate ? window.rates() : window.raw(), query.aggregate)
            } else if query.rate {
                groups[g].add(last: CounterMath.rates(window.values, times: window.times, epochs: window.epochs).suffix(fresh),
                              window: window.averageRate, query.aggregate)
            } else {
                groups[g].add(last: window.values.suffix(fresh), window: nil, query.aggregate)
            }
        }
        if carried, let newest { plans.store(RunningGroups(newestSlot: newest, groups: groups), key, layout: layoutToken) }
        return groups.map { $0.result(query.aggregate) }
    }

    /// Each quantile capped by the largest value of the `atMost` gauge with its labels, slot by
    /// slot and over the window (the gauge only grows, so its newest value bounds the window).
    private func clamp(_ results: [QueryResult], to gauge: [QueryResult], valueSlots: Int) -> [QueryResult] {
        let maxima = Dictionary(gauge.map { ($0.labels, $0) }, uniquingKeysWith: { a, _ in a })
        return results.map { result in
            guard let cap = maxima[result.labels] else { return result }
            var clamped = result
            let caps = cap.values.suffix(valueSlots)
            for (i, c) in zip(clamped.values.indices, caps) where c != nil {
                clamped.values[i] = clamped.values[i].map { Swift.min($0, c!) }
            }
            if let newest = cap.values.last(where: { $0 != nil }) ?? nil {
                clamped.window = clamped.window.map { Swift.min($0, newest) }
            }
            return clamped
        }
    }

    /// The per-bucket increases of the histogram `query` names (its `quantile` is ignored),
    /// summed by its `sumBy` labels as each bucket series is read, with the grouping planned
    /// once per layout: nothing is kept per bucket series (at 1,000 streams a chart's p99 read
    /// 46,000 of them every frame, and holding each one's slots took 17 MB at once). Per-slot
    /// sums of a steady plan are carried from frame to frame as a grouped query's are
    /// (`RunningGroups`): only the slots scraped since are added. A gauge histogram's buckets
    /// are a distribution as it is now, not counts that grow: their values themselves, not
    /// their increases.
    func histogram(_ query: Query, slots: Int, perSlot: Bool) -> [HistogramGroup] {
        let bucketQuery = Self.bucketQuery(query)
        let members = members(bucketQuery)
        var base = query
        (base.quantile, base.atMost, base.topK) = (nil, nil, nil)
        let plan = plans.plan(base, layout: layoutToken, fits: { $0.places.count == members.count }) {
            HistogramPlan(memberLabels(bucketQuery), sumBy: query.sumBy, steady: Set(members.map(\.source)).count == 1
                              && members.allSatisfy { sources[$0.source]!.series[$0.index].stamps == nil })
        }
        let valueSlots = perSlot ? Swift.max(slots, 1) : 0
        let key = HistogramEvaluation(sums: RunningGroups.Evaluation(query: base, slots: slots, valueSlots: valueSlots))
        let newest = members.first.map { sources[$0.source]!.newestSlot }
        var (sums, fresh): ([Combined], Int) = ([], valueSlots)
        let carried = plan.steady && valueSlots > 1
        if carried, let newest, var running: RunningGroups = plans.take(key, layout: layoutToken),
           running.groups.count == plan.bucketCount, (0..<valueSlots).contains(newest - running.newestSlot) {
            fresh = newest - running.newestSlot
            swap(&sums, &running.groups)
            for i in sums.indices { sums[i].advance(by: fresh) }
        } else {
            sums = (0..<plan.bucketCount).map { _ in Combined(labels: [], slots: valueSlots) }
        }
        forEachSeries(bucketQuery, of: members, slots: Swift.max(slots, 1), valueSlots: valueSlots) { position, reader, index in
            guard let (g, b) = plan.places[position] else { return }
            let i = plan.firstBucket[g] + b
            if reader.type(of: index) != .gaugehistogram, !reader.hasOwnStamps(index) {
                guard valueSlots > 0 else {
                    sums[i].add(window: reader.increase(index)?.increase, .sum)
                    return
                }
                // Read in place, the increases computed as they are added.
                let window = reader.window(index, labels: [])
                sums[i].add(last: CounterMath.increases(window.values, epochs: window.epochs).suffix(fresh),
                            window: window.increaseAndSeconds?.increase, .sum)
                return
            }
            let window = reader.window(index, labels: [])
            sums[i].add(window.type == .gaugehistogram ? window.current() : window.increases(), .sum)
        }
        if carried, let newest { plans.store(RunningGroups(newestSlot: newest, groups: sums), key, layout: layoutToken) }
        return plan.groups.indices.map { g in
            HistogramGroup(labels: plan.groups[g].labels, buckets: plan.groups[g].les.indices.map {
                (plan.groups[g].les[$0], sums[plan.firstBucket[g] + $0].result(.sum))
            })
        }
    }

    /// A histogram's running sums are stored apart from a grouped query's of the same name.
    private struct HistogramEvaluation: Hashable, Sendable {
        let sums: RunningGroups.Evaluation
    }

    /// The selection of the bucket series of the histogram `query` names.
    private static func bucketQuery(_ query: Query) -> Query {
        Query(metric: query.metric + "_bucket", matchers: query.matchers, rate: query.rate, type: query.type)
    }
}
