import Feeds
import Telemetry

/// Everything bptop has collected: the store plus each source's health. Scrapes go in one
/// at a time, from any feed, and the screen is computed from this alone.
public struct CollectedData: Sendable {
    public private(set) var store: TimeSeriesStore
    public private(set) var sources: [SourceStatus]
    /// The iperf3 run shown beside the scrapes, when bptop reads one.
    public private(set) var iperf3: Iperf3Feed?
    /// Per source, the lines of its last body parsed whole, for reading the next one's values alone.
    private var skeletons: [Int: ExpositionSkeleton] = [:]

    /// `names` are the scrape sources' display names, unique, in command-line order. With
    /// `iperf3`, one more source follows them for iperf3's intervals.
    /// `federating`: the names of sources whose series name their own `instance` (a Prometheus server).
    public init(names: [String], capacity: Int, iperf3: Bool = false, federating: Set<String> = []) {
        store = TimeSeriesStore(capacity: capacity, federating: federating)
        let all = iperf3 ? Self.uniqueNames(names + ["iperf3"]) : names
        sources = all.map { SourceStatus(name: $0, health: .waiting) }
        self.iperf3 = iperf3 ? Iperf3Feed(sourceName: all.last!) : nil
    }

    /// Output of the iperf3 run arrived (or its input changed) at wall time `time`. Returns the
    /// slots it added to iperf3's source (its completed intervals), for an export to write.
    @discardableResult
    public mutating func ingest(iperf3 event: Iperf3Reader.Event, at time: Double) -> [(exposition: ParsedExposition, time: Double)] {
        guard var feed = iperf3, let index = sources.firstIndex(where: { $0.name == feed.sourceName }) else { return [] }
        let wasRunning = !feed.runEnded
        let slots = feed.apply(event, now: time)
        for (exposition, slotTime) in slots {
            store.ingest(source: feed.sourceName, exposition: exposition, at: slotTime)
        }
        // A finished run has no "now": a gap after its last interval, so its rate shows "–"
        // instead of the last interval's figure frozen in the header.
        if wasRunning, feed.runEnded, let last = store.lastScrapeTime(of: feed.sourceName) {
            store.recordFailure(source: feed.sourceName, at: Swift.max(time, last + 0.001))
        }
        if feed.report.format != nil { sources[index].health = .ok }
        sources[index].skippedLines = feed.report.skippedLines
        iperf3 = feed
        return slots.map { (exposition: $0.0, time: $0.1) }
    }

    /// A scrape of source `index` at wall time `time` returned `body`.
    /// A body with lines but not one sample in them is not an exposition (a JSON answer, an
    /// HTML page: the wrong URL): a failed scrape, returned so the caller can say why, never an
    /// empty source that looks fine.
    ///
    /// A body that repeats the source's previous one but for its values (`ExpositionSkeleton`)
    /// has only its values read; any other is parsed whole, straight into the store.
    @discardableResult
    public mutating func ingest(source index: Int, body: [UInt8], at time: Double) -> NotAnExposition? {
        if let values = skeletons[index]?.values(of: body), store.ingest(source: sources[index].name, repeating: values, at: time) {
            markScraped(index, skippedLines: 0)
            return nil
        }
        skeletons[index] = nil
        let shape = store.ingest(source: sources[index].name, parsing: body, at: time)
        if let refused = refuse(index, samples: shape.samples, skippedLines: shape.skippedLines, at: time) { return refused }
        markScraped(index, skippedLines: shape.skippedLines)
        // Not for a source beyond the store's series limit: its dropped samples have no series
        // to go to, so its values alone could never be taken, and its skeleton would be kept for nothing.
        if sources[index].droppedSeries == 0 { skeletons[index] = ExpositionSkeleton(body: body, shape: shape) }
        return nil
    }

    /// A scrape of source `index`, already parsed (a recorder keeps what it parsed; replay
    /// gives it back).
    @discardableResult
    public mutating func ingest(source index: Int, exposition: ParsedExposition, at time: Double) -> NotAnExposition? {
        skeletons[index] = nil
        if let refused = refuse(index, samples: exposition.samples.count, skippedLines: exposition.skippedLines, at: time) {
            return refused
        }
        store.ingest(source: sources[index].name, exposition: exposition, at: time)
        markScraped(index, skippedLines: exposition.skippedLines)
        return nil
    }

    /// A failure when a scrape had lines but not one sample could be read from them.
    private mutating func refuse(_ index: Int, samples: Int, skippedLines: Int, at time: Double) -> NotAnExposition? {
        guard samples == 0, skippedLines > 0 else { return nil }
        let refused = NotAnExposition(skippedLines: skippedLines)
        recordFailure(source: index, at: time, reason: refused.description)
        sources[index].skippedLines = skippedLines
        return refused
    }

    private mutating func markScraped(_ index: Int, skippedLines: Int) {
        sources[index].health = .ok
        sources[index].failure = nil
        sources[index].skippedLines = skippedLines
        sources[index].droppedSeries = store.droppedSeries(of: sources[index].name)
    }

    /// Why a scrape's body was refused, in one line.
    public struct NotAnExposition: Error, CustomStringConvertible {
        public let skippedLines: Int
        public var description: String { "not a metrics exposition (no sample in it; \(CountText.of(skippedLines, "line")) could not be read)" }
    }

    /// A scrape of source `index` failed at `time`: a gap, and "disconnected since" the first failure.
    public mutating func recordFailure(source index: Int, at time: Double, reason: String? = nil) {
        store.recordFailure(source: sources[index].name, at: time)
        sources[index].failure = reason
        if case .disconnected = sources[index].health { return }
        sources[index].health = .disconnected(since: time)
        sources[index].uptimeSeconds = nil
    }

    /// Display names for sources: their short names, numbered where two would collide.
    public static func uniqueNames(_ names: [String]) -> [String] {
        var seen: [String: Int] = [:]
        return names.map { name in
            seen[name, default: 0] += 1
            return seen[name]! == 1 ? name : "\(name)#\(seen[name]!)"
        }
    }
}
