#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dashboard
import Feeds
import Telemetry

/// `bptop --once`: two scrapes of every source one interval apart, then the per-stream
/// table (or JSON) once, for scripts.
public struct OnceRun {
    let sources: [SourceSpec]
    let definition: DashboardDefinition
    let intervalMillis: Int

    public init(sources: [SourceSpec], definition: DashboardDefinition, intervalMillis: Int) {
        self.sources = sources
        self.definition = definition
        self.intervalMillis = intervalMillis
    }

    public enum Outcome { case success(String), failure(String) }

    public func run(json: Bool) -> Outcome {
        var data = CollectedData(names: CollectedData.uniqueNames(sources.map(\.shortName)), capacity: 2)
        var answered = Set<Int>()
        var lastError = ""
        for round in 0..<2 {
            if round == 1 { usleep(UInt32(intervalMillis) * 1000) }
            for (i, source) in sources.enumerated() {
                let time = Double(Clocks.wallMicros()) / 1e6
                do {
                    data.ingest(source: i, body: try ScrapeClient.fetch(source, timeoutMillis: 5000), at: time)
                    answered.insert(i)
                } catch {
                    data.recordFailure(source: i, at: time)
                    lastError = "\(source): \(error)"
                }
            }
        }
        guard !answered.isEmpty else { return .failure("no source answered (\(lastError))") }
        return .success(json ? OnceReport.json(definition: definition, store: data.store)
                             : OnceReport.text(definition: definition, store: data.store))
    }
}
