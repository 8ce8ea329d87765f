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
        var data = CollectedData(sources: sources, capacity: 2)
        var answered = Set<Int>()
        var lastError = ""
        for round in 0..<2 {
            if round == 1 { usleep(UInt32(intervalMillis) * 1000) }
            let failures = ScrapeRound.scrapeAll(sources, into: &data, timeoutMillis: 5000)
            answered.formUnion(Set(sources.indices).subtracting(failures.map(\.index)))
            lastError = failures.last?.message ?? lastError
        }
        guard !answered.isEmpty else { return .failure("no source answered (\(lastError))") }
        return .success(json ? OnceReport.json(definition: definition, store: data.store)
                             : OnceReport.text(definition: definition, store: data.store))
    }
}
