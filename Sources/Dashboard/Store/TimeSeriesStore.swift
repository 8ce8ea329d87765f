import Synchronization
import Telemetry

/// Recent scrapes of every source, one fixed-size ring buffer per series.
///
/// A series is (source, sample name, labels sorted by name). Every scrape or failed scrape
/// of a source appends one slot to each of that source's series, so all its series stay
/// aligned with the source's scrape times; a series missing from a scrape gets a nil slot,
/// and one missing for `capacity` slots in a row is evicted, so streams that come and go do
/// not grow memory without bound.
///
/// Memory: a series' slots take `capacity` × 0 to 8 bytes (`SampleRing` keeps whole numbers
/// as offsets of 0 to 6 bytes from a base of its own, other values as 8-byte Doubles, NaN
/// marking a gap), a source's slots 16 bytes each (scrape time plus restart epoch), and each
/// series about 270 bytes besides: its `StoredSeries` (96), one sorted label array (≈ 160 for
/// a bpagent series' four labels) and its places in `SeriesIndex` and `byMetric`. At most
/// `slotBytes` of slots; as stored, `slotStorageBytes`: 300 slots of bench-frame's 1,000
/// streams (80,000 series) are 9 MB, where 8-byte Doubles took 192 MB.
public struct TimeSeriesStore: Sendable {
    /// The pseudo-label every stored series carries with its source's name (as Prometheus adds
    /// `instance` to scraped series), so queries can tell agents apart.
    public static let sourceLabel = "instance"

    /// Series kept per source. An exporter with more (a 10,000-stream agent's 790,000, or one
    /// whose label values churn) has the excess dropped, counted and shown in the header:
    /// bptop's memory stays bounded at about `capacity × 8 B` a series plus its labels.
    public static let maxSeriesPerSource = 100_000

    public let capacity: Int
    private(set) var sources: [String: SourceHistory] = [:]

    /// Names the store's layout (its sources, their series and types): a new token whenever
    /// that changes, unique across every store of the process, so a plan made for one layout is
    /// never applied to another (`LayoutPlans`).
    private(set) var layoutToken = TimeSeriesStore.newToken()
    /// Plans and running sums made from this store's series. Copies share them until one of
    /// them changes (`changing`): that one then starts its own, so what one copy stored never
    /// stands for another's slots.
    private(set) var plans = LayoutPlans()
    private static let tokens = Atomic<Int>(0)
    private static func newToken() -> Int { tokens.wrappingAdd(1, ordering: .relaxed).newValue }

    /// Sources whose series carry their own `instance` label (a Prometheus server's
    /// federation, which names the agent each series came from): it is kept, so one source
    /// stands for many agents. Any other source's series get the source's name.
    private var federating: Set<String> = []

    /// - Parameter capacity: slots kept per series (the longest window bptop can show).
    public init(capacity: Int, federating: Set<String> = []) {
        self.capacity = max(capacity, 2)
        self.federating = federating
    }

    /// Appends one slot to every series of `source`, taken at `time` (seconds).
    public mutating func ingest(source: String, exposition: ParsedExposition, at time: Double) {
        changing(source) { $0.append(exposition, at: time) }
    }

    /// Appends one slot to every series of `source` from the text of a scrape, each sample
    /// stored as the parser reads it: no list of the scrape's samples is built beside the series
    /// (at 1,000 streams that list was 17 MB at the first scrape, the peak of bptop's memory).
    /// A body with skipped lines and not one sample is not an exposition: nothing is appended,
    /// and the caller records a failure.
    mutating func ingest(source: String, parsing body: [UInt8], at time: Double) -> ExpositionShape {
        changing(source) { history in
            var shape = ExpositionShape()
            let rest = PrometheusTextParser.parse(body) { sample, declared in
                shape.samples += 1
                if sample.timestampMillis != nil { shape.stampedSamples += 1 }
                history.take(sample, declared: declared, at: time)
            }
            shape.skippedLines = rest.skippedLines
            if shape.samples > 0 || shape.skippedLines == 0 { history.endSlot(at: time) }
            return shape
        }
    }

    /// Appends one slot to every series of `source` from a scrape that repeated the previous
    /// one's samples with new `values` (see `SourceHistory.append(repeating:at:)`); false when
    /// it cannot, and the scrape must be ingested parsed.
    mutating func ingest(source: String, repeating values: [Double], at time: Double) -> Bool {
        guard sources[source] != nil else { return false }
        return changing(source) { $0.append(repeating: values, at: time) }
    }

    /// Appends a gap slot to every series of `source`: rates touching it are nil, drawn as gaps.
    public mutating func recordFailure(source: String, at time: Double) {
        changing(source) { $0.appendGap(at: time) }
    }

    /// Applies `change` to `source`'s history (a new one if there is none), and gives the store
    /// a new layout token when that added the source or changed its series or types (any slot
    /// appended may evict series).
    private mutating func changing<R>(_ source: String, _ change: (inout SourceHistory) -> R) -> R {
        if !isKnownUniquelyReferenced(&plans) {
            plans = LayoutPlans()
            layoutToken = Self.newToken()
        }
        let fresh = sources[source] == nil ? history(source) : nil
        let before = sources[source]?.layoutVersion
        let result = change(&sources[source, default: fresh!])
        if sources[source]!.layoutVersion != before { layoutToken = Self.newToken() }
        return result
    }

    /// Whether the series come from more than one agent (several sources, or a Prometheus
    /// source federating several): tables then name each row's `instance`.
    public var hasSeveralInstances: Bool {
        var seen: Set<String> = []
        for history in sources.values {
            seen.formUnion(history.instances)
            if seen.count > 1 { return true }
        }
        return false
    }

    private func history(_ source: String) -> SourceHistory {
        SourceHistory(name: source, capacity: capacity, keepsInstance: federating.contains(source))
    }

    /// Source names in a stable (sorted) order.
    public var sourceNames: [String] { sources.keys.sorted() }

    /// Live series across all sources.
    public var seriesCount: Int { sources.values.reduce(0) { $0 + $1.series.count } }

    /// The most slot memory in bytes, by the formula above (labels not included).
    public var slotBytes: Int { capacity * (seriesCount * 8 + sources.count * 16) }

    /// The slot memory in bytes as stored now (`SampleRing`'s compact slots, as allocated).
    public var slotStorageBytes: Int {
        sources.values.reduce(0) { total, history in
            total + history.series.reduce(16 * history.capacity) { $0 + $1.values.storageBytes + ($1.stamps?.storageBytes ?? 0) }
        }
    }

    /// The last `bpagent_start_time_seconds` a source exported, for its uptime.
    public func startTime(of source: String) -> Double? { sources[source]?.startTime }

    /// The times of the newest `count` slots of `source`, oldest first, with -∞ in front when
    /// the source has fewer: slot for slot what a query over `count` slots returns.
    public func slotTimes(of source: String, count: Int) -> [Double] {
        let times = sources[source]?.times.suffix(count) ?? []
        return Array(repeating: -.infinity, count: count - times.count) + times
    }

    /// The first source (in name order) that exported `metric` (any metric for a pattern).
    public func firstSource(having metric: String) -> String? {
        sourceNames.first { name in metric.hasSuffix("*") ? !sources[name]!.series.isEmpty : sources[name]!.byMetric[metric] != nil }
    }

    /// Series the newest scrape of `source` had beyond `maxSeriesPerSource`.
    public func droppedSeries(of source: String) -> Int { sources[source]?.droppedSeries ?? 0 }

    /// The scrape time of the newest slot of `source`.
    public func lastScrapeTime(of source: String) -> Double? { sources[source]?.times.last }
}
