import Telemetry

/// A series' labels sorted by name: two scrapes that write the same labels in a different
/// order still land in the same series.
typealias LabelSet = [PrometheusSample.Label]

extension LabelSet {
    init(sorting labels: [PrometheusSample.Label]) {
        self = labels.sorted { $0.name < $1.name }
    }

    func value(of name: String) -> String? {
        first { $0.name == name }?.value
    }
}

/// A series within one source: its sample name and sorted labels.
struct SeriesID: Hashable, Sendable {
    var metric: String
    var labels: LabelSet
}

/// One series' recent values, slot-aligned with its source's scrape times.
struct StoredSeries: Sendable {
    /// The series' labels plus `instance` (its source), sorted: what queries match and group
    /// by, built once when the series first appears rather than per query per frame.
    let labels: LabelSet
    /// nil marks a slot without a value: a failed scrape, or a scrape without this series.
    var values: SampleRing
    /// The source's slot number when the series last had a value, for eviction.
    var lastSeen: Int
}

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
    var series: [SeriesID: StoredSeries] = [:]
    /// The metric type each sample name belongs to, from the `# TYPE` lines seen so far.
    var types: [String: MetricType] = [:]
    private(set) var startTime: Double?
    private var epoch = 0
    /// Slots appended so far (successful scrapes and failures).
    private var slot = 0

    init(name: String, capacity: Int) {
        self.name = name
        times = RingBuffer(capacity: capacity)
        epochs = RingBuffer(capacity: capacity)
    }

    var capacity: Int { times.capacity }

    mutating func append(_ exposition: ParsedExposition, at time: Double) {
        var scraped: [SeriesID: Double] = [:]
        scraped.reserveCapacity(exposition.samples.count)
        var previousName = ""
        for sample in exposition.samples {
            // NaN means "nothing to report": leaving it out keeps it a gap, not a poisoned rate.
            guard !sample.value.isNaN else { continue }
            scraped[SeriesID(metric: sample.name, labels: LabelSet(sorting: sample.labels))] = sample.value
            // A family's samples come together: look its type up once per run of them.
            if sample.name != previousName {
                types[sample.name] = exposition.family(of: sample).type
                previousName = sample.name
            }
        }
        if let start = scraped[SeriesID(metric: Self.startTimeMetric, labels: [])] {
            if let previous = startTime, previous != start { epoch += 1 }
            startTime = start
        }
        appendSlot(at: time, values: scraped)
    }

    mutating func appendGap(at time: Double) {
        appendSlot(at: time, values: [:])
    }

    private mutating func appendSlot(at time: Double, values scraped: [SeriesID: Double]) {
        times.append(time)
        epochs.append(epoch)
        var remaining = scraped
        var stale: [SeriesID] = []
        // Mutating through `series.values[index]` appends in place: no copy of any ring.
        for index in series.indices {
            let id = series.keys[index]
            let value = remaining.removeValue(forKey: id)
            series.values[index].values.append(value)
            if value != nil { series.values[index].lastSeen = slot }
            if slot - series.values[index].lastSeen >= capacity { stale.append(id) }
        }
        for id in stale { series[id] = nil }
        for (id, value) in remaining {
            var ring = SampleRing(capacity: capacity)
            for _ in 1..<times.count { ring.append(nil) }
            ring.append(value)
            var labels = id.labels.filter { $0.name != Query.sourceLabel }
            labels.append(.init(Query.sourceLabel, name))
            series[id] = StoredSeries(labels: LabelSet(sorting: labels), values: ring, lastSeen: slot)
        }
        slot += 1
    }
}
