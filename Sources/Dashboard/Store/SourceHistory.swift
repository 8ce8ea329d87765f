import Telemetry

/// Everything kept for one source: its scrape times, restart epochs and series. All rings
/// have the same count, so slot `i` of any series was taken at `times` slot `i`.
struct SourceHistory: Sendable {
    /// The gauge whose change means the agent restarted, so every counter began again at 0.
    static let startTimeMetric = "bpagent_start_time_seconds"

    /// The source's name, the `instance` label of its series.
    let name: String
    var times: RingBuffer<Double>
    /// Per slot, how many restarts had been seen; a change between two slots is a reset.
    var epochs: RingBuffer<Int>
    /// Every series, found by `lookup` (its id) and `byMetric` (its sample name), so a query
    /// visits only the series of its metric, not every series of the source. `byMetric` keeps
    /// each metric's series in the order results are shown in (`LabelSet.precedes`): sorting
    /// a query's results is then a check, not thousands of label comparisons per frame.
    private(set) var series = SeriesTable()
    private var lookup = SeriesIndex()
    private(set) var byMetric: [String: [Int]] = [:]
    /// The metric type each sample name belongs to, from the `# TYPE` lines seen so far.
    var types: [String: MetricType] = [:]
    private(set) var startTime: Double?
    private var epoch = 0
    /// Slots appended so far (successful scrapes and failures).
    private var slot = 0
    /// Series the newest scrape had that were not stored because the source holds
    /// `TimeSeriesStore.maxSeriesPerSource` already (shown in the header, never silent).
    private(set) var droppedSeries = 0
    private var droppedThisSlot = 0
    /// Per sample position of the previous scrape, the series that sample went to (-1: none).
    /// An exporter writes its samples in the same order every scrape, so the series at the same
    /// position is compared first and the id hashed only when it differs: hashing every
    /// sample's name and labels was most of the ingest.
    private var previousOrder: [Int] = []
    /// Positions of the previous scrape's `startTimeMetric` samples (without labels).
    private var startTimePositions: [Int] = []
    /// The scrape being appended sample by sample (`take`, `endSlot`), nil between scrapes.
    private var open: OpenSlot?

    /// What a scrape read so far has found that is settled only at its end.
    private struct OpenSlot {
        /// Per sample position, the series it went to, as `previousOrder` (which it becomes).
        var order: [Int] = []
        var startTimePositions: [Int] = []
        /// The first start time with a value: a change from the last one is a restart.
        var startTime: Double?
        /// A family's samples come together: its type is looked up once per run of them.
        var runName = ""
    }

    /// Changes whenever the set of series or a metric's type changes: what a query selects
    /// and how it groups can only change with it (see `LayoutPlans`).
    private(set) var layoutVersion = 0

    /// Series keep an `instance` label of their own (see `TimeSeriesStore.federating`).
    let keepsInstance: Bool
    /// The `instance` values the series have had: the agents behind this source.
    private(set) var instances: Set<String> = []

    init(name: String, capacity: Int, keepsInstance: Bool = false) {
        self.name = name
        self.keepsInstance = keepsInstance
        times = RingBuffer(capacity: capacity)
        epochs = RingBuffer(capacity: capacity)
    }

    var capacity: Int { times.capacity }

    /// The slot number of the newest slot (-1 before the first).
    var newestSlot: Int { slot - 1 }

    /// Appends one slot: each sample's value to its series (one dictionary lookup per sample,
    /// no intermediate map), then a gap to every series the scrape did not have.
    mutating func append(_ exposition: ParsedExposition, at time: Double) {
        for sample in exposition.samples { take(sample, declared: exposition, at: time) }
        endSlot(at: time)
    }

    /// The next sample of a scrape taken at `time`, read in order as the parser hands it on
    /// (`PrometheusTextParser.parse(_:each:)`), with the declarations read so far: the first
    /// opens the scrape's slot, `endSlot` closes it.
    mutating func take(_ sample: PrometheusSample, declared: ParsedExposition, at time: Double) {
        if open == nil { openSlot(at: time) }
        let position = open!.order.count
        if sample.name == Self.startTimeMetric && sample.labels.isEmpty {
            open!.startTimePositions.append(position)
            if open!.startTime == nil, !sample.value.isNaN { open!.startTime = sample.value }
        }
        // NaN means "nothing to report": leaving it out keeps it a gap, not a poisoned rate.
        guard !sample.value.isNaN else {
            open!.order.append(-1)
            return
        }
        let stamp = sample.timestampMillis.map { Double($0) / 1000 }
        let guess = position < previousOrder.count ? previousOrder[position] : -1
        if guess >= 0, isSeries(guess, of: sample) {
            record(sample.value, stamp: stamp, at: guess)
            open!.order.append(guess)
        } else {
            let id = id(of: sample)
            let index = lookup.find(id, in: series) ?? addSeries(id)
            if let index { record(sample.value, stamp: stamp, at: index) }
            open!.order.append(index ?? -1)
        }
        if sample.name != open!.runName {
            let type = declared.family(of: sample).type
            if types.updateValue(type, forKey: sample.name) != type { layoutVersion += 1 }
            open!.runName = sample.name
        }
    }

    /// Closes the slot the scrape's samples opened (a scrape without samples is a slot of gaps).
    mutating func endSlot(at time: Double) {
        if open == nil { openSlot(at: time) }
        let scrape = open!
        open = nil
        // The slot took the epoch before this scrape's start time was read: a restart it shows
        // belongs to this slot already.
        if let start = scrape.startTime {
            noteStartTime(CollectionOfOne(start))
            epochs.replaceLast(epoch)
        }
        previousOrder = scrape.order
        startTimePositions = scrape.startTimePositions
        closeSlot()
    }

    private mutating func openSlot(at time: Double) {
        times.append(time)
        epochs.append(epoch)
        var scrape = OpenSlot()
        scrape.order.reserveCapacity(previousOrder.count)
        open = scrape
    }

    /// Appends one slot from a scrape whose samples are those of the previous scrape, in the
    /// same order, with these `values` (`ExpositionSkeleton`): each value goes to the series
    /// its position went to last time, nothing looked up. false, and nothing appended, when a
    /// position had no series last time (a NaN then, or a series dropped at the limit).
    mutating func append(repeating values: [Double], at time: Double) -> Bool {
        guard values.count == previousOrder.count,
              values.indices.allSatisfy({ values[$0].isNaN || previousOrder[$0] >= 0 }) else { return false }
        noteStartTime(startTimePositions.lazy.map { values[$0] })
        times.append(time)
        epochs.append(epoch)
        for (position, value) in values.enumerated() where !value.isNaN {
            record(value, stamp: nil, at: previousOrder[position])
        }
        closeSlot()
        return true
    }

    /// The first of the start-time samples that has a value: a change from the last one is a restart.
    private mutating func noteStartTime(_ values: some Sequence<Double>) {
        guard let start = values.first(where: { !$0.isNaN }) else { return }
        if let previous = startTime, previous != start { epoch += 1 }
        startTime = start
    }

    mutating func appendGap(at time: Double) {
        times.append(time)
        epochs.append(epoch)
        closeSlot()
    }

    /// The id `sample`'s series is found by: its labels with `instance` set to the source's name
    /// (a federating source keeps a sample's own), unless that loses the sample's own labels.
    private func id(of sample: PrometheusSample) -> SeriesID {
        let sampleLabels = keepsInstance != sample.labels.contains { $0.name == TimeSeriesStore.sourceLabel }
        let labels = sampleLabels || keepsInstance ? sample.labels : sample.labels + [.init(TimeSeriesStore.sourceLabel, name)]
        return SeriesID(metric: sample.name, labels: LabelSet(sorting: labels), sampleLabels: sampleLabels)
    }

    /// Whether series `index` is `sample`'s, `id(of:)` compared without sorting or hashing.
    private func isSeries(_ index: Int, of sample: PrometheusSample) -> Bool {
        let sampleLabels = keepsInstance != sample.labels.contains { $0.name == TimeSeriesStore.sourceLabel }
        guard series[index].id.metric == sample.name, series[index].id.sampleLabels == sampleLabels else { return false }
        if sampleLabels || keepsInstance { return series[index].id.labels.hasSameLabels(as: sample.labels) }
        // The sample's labels and the source's `instance`, which the sample has not.
        return series[index].id.labels.count == sample.labels.count + 1 && sample.labels.allSatisfy(series[index].id.labels.contains)
    }

    /// A new series, without values yet (nil: the source holds the most it may, so it is dropped).
    private mutating func addSeries(_ found: SeriesID) -> Int? {
        guard series.count < TimeSeriesStore.maxSeriesPerSource else {
            droppedThisSlot += 1
            return nil
        }
        var id = found
        // One copy of a metric's name for all its series (the parser makes one per scrape).
        if let first = byMetric[id.metric]?.first { id.metric = series[first].id.metric }
        var labels = id.labels
        if id.sampleLabels {
            labels.removeAll { $0.name == TimeSeriesStore.sourceLabel }
            labels.append(.init(TimeSeriesStore.sourceLabel, name))
            labels = LabelSet(sorting: labels)
        }
        instances.insert(labels.value(of: TimeSeriesStore.sourceLabel) ?? name)
        // Gaps for every slot before this one (the one being appended is filled by `record`).
        let values = SampleRing(capacity: capacity, leadingGaps: times.count - 1)
        series.append(StoredSeries(id: id, labels: labels, values: values, lastSeen: slot - 1))
        lookup.insert(series.count - 1, of: series)
        layoutVersion += 1
        insertInOrder(series.count - 1)
        return series.count - 1
    }

    /// Stores this slot's `value` of series `index`.
    private mutating func record(_ value: Double, stamp: Double?, at index: Int) {
        // Mutating through `series[index]` appends in place: no copy of any ring.
        if series[index].lastSeen == slot {
            series[index].values.replaceLast(value)  // the same series twice in a scrape: the last wins
            series[index].lastBreak = slot
            series[index].lastChange = slot
            series[index].newest = value
            if let stamp { series[index].replaceLastStamp(stamp) }
        } else {
            series[index].values.append(value)
            // `!(value >= newest)` is also true after a gap or before the first value (NaN).
            if !(value >= series[index].newest) || value != value.rounded(.towardZero) || abs(value) >= 0x1p53 {
                series[index].lastBreak = slot
            }
            if value != series[index].newest { series[index].lastChange = slot }
            series[index].newest = value
            series[index].lastSeen = slot
            if let stamp {
                // A stamped series' rates are held over its history: its first stamp changes
                // how it is read (see `LayoutPlans`).
                if series[index].stamps == nil { layoutVersion += 1 }
                series[index].appendStamp(stamp, capacity: capacity, absent: times.count - 1)
            } else {
                series[index].appendNoStamp()
            }
        }
    }

    /// Gives every series without a value in this slot a gap, and forgets series that have
    /// had nothing but gaps for `capacity` slots.
    private mutating func closeSlot() {
        var anyStale = false
        for index in series.indices where series[index].lastSeen != slot {
            series[index].values.append(nil)
            series[index].lastBreak = slot
            if !series[index].newest.isNaN { series[index].lastChange = slot }
            series[index].newest = .nan
            series[index].appendNoStamp()
            if slot - series[index].lastSeen >= capacity { anyStale = true }
        }
        if anyStale { removeStale() }
        droppedSeries = droppedThisSlot
        droppedThisSlot = 0
        slot += 1
    }

    /// Drops the stale series and renumbers the indexes (rare: streams that ended long ago).
    private mutating func removeStale() {
        let (slot, capacity) = (self.slot, self.capacity)
        var renumbered = [Int](repeating: -1, count: series.count)
        var kept = 0
        for index in series.indices where slot - series[index].lastSeen < capacity {
            renumbered[index] = kept
            kept += 1
        }
        series.removeAll { slot - $0.lastSeen >= capacity }
        layoutVersion += 1
        previousOrder = []
        lookup.rebuild(series)
        // The survivors keep their order, so each metric's list stays in label order.
        byMetric = byMetric.compactMapValues { list in
            let left = list.compactMap { renumbered[$0] >= 0 ? renumbered[$0] : nil }
            return left.isEmpty ? nil : left
        }
    }

    /// Files series `index` under its metric, after every series whose labels precede its own.
    private mutating func insertInOrder(_ index: Int) {
        let labels = series[index].labels
        var list = byMetric.removeValue(forKey: series[index].id.metric) ?? []
        var (low, high) = (0, list.count)
        while low < high {
            let middle = (low + high) / 2
            if labels.precedes(series[list[middle]].labels) { high = middle } else { low = middle + 1 }
        }
        list.insert(index, at: low)
        byMetric[series[index].id.metric] = list
    }
}
