import Telemetry

/// Recent scrapes of every source, one fixed-size ring buffer per series.
///
/// A series is (source, sample name, labels sorted by name). Every scrape or failed scrape
/// of a source appends one slot to each of that source's series, so all its series stay
/// aligned with the source's scrape times; a series missing from a scrape gets a nil slot,
/// and one missing for `capacity` slots in a row is evicted, so streams that come and go do
/// not grow memory without bound.
///
/// Memory: about `capacity × (series + sources) × 16` bytes of slots (a `Double?` and a
/// scrape time plus restart epoch each take 16 bytes), plus the label strings of each live
/// series. With `capacity` = window ÷ interval, that is window × interval⁻¹ × series × 16 B:
/// 600 slots × 1,000 series ≈ 9.6 MB.
public struct TimeSeriesStore: Sendable {
    public let capacity: Int
    private(set) var sources: [String: SourceHistory] = [:]

    /// - Parameter capacity: slots kept per series (the longest window bptop can show).
    public init(capacity: Int) {
        self.capacity = max(capacity, 2)
    }

    /// Appends one slot to every series of `source`, taken at `time` (seconds).
    public mutating func ingest(source: String, exposition: ParsedExposition, at time: Double) {
        sources[source, default: SourceHistory(capacity: capacity)].append(exposition, at: time)
    }

    /// Appends a gap slot to every series of `source`: rates touching it are nil, drawn as gaps.
    public mutating func recordFailure(source: String, at time: Double) {
        sources[source, default: SourceHistory(capacity: capacity)].appendGap(at: time)
    }

    /// Source names in a stable (sorted) order.
    public var sourceNames: [String] { sources.keys.sorted() }

    /// Live series across all sources.
    public var seriesCount: Int { sources.values.reduce(0) { $0 + $1.series.count } }

    /// The slot memory in bytes by the formula above (labels not included).
    public var slotBytes: Int { capacity * (seriesCount + sources.count) * 16 }

    /// The last `bpagent_start_time_seconds` a source exported, for its uptime.
    public func startTime(of source: String) -> Double? { sources[source]?.startTime }

    /// The scrape time of the newest slot of `source`.
    public func lastScrapeTime(of source: String) -> Double? { sources[source]?.times.last }
}
