import Telemetry

/// Everything bptop has collected: the store plus each source's health. Scrapes go in one
/// at a time, from any feed, and the screen is computed from this alone.
public struct CollectedData: Sendable {
    public private(set) var store: TimeSeriesStore
    public private(set) var sources: [SourceStatus]

    /// `names` are the sources' display names, unique, in command-line order.
    public init(names: [String], capacity: Int) {
        store = TimeSeriesStore(capacity: capacity)
        sources = names.map { SourceStatus(name: $0, health: .waiting) }
    }

    /// A scrape of source `index` at wall time `time` returned `body`.
    public mutating func ingest(source index: Int, body: [UInt8], at time: Double) {
        let exposition = PrometheusTextParser.parse(body)
        store.ingest(source: sources[index].name, exposition: exposition, at: time)
        sources[index].health = .ok
        sources[index].skippedLines = exposition.skippedLines
    }

    /// A scrape of source `index` failed at `time`: a gap, and "disconnected since" the first failure.
    public mutating func recordFailure(source index: Int, at time: Double) {
        store.recordFailure(source: sources[index].name, at: time)
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
