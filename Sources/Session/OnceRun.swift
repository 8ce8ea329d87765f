#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dashboard
import Feeds
import Synchronization
import Telemetry

/// bptop for scripts: `--once` scrapes every source twice one interval apart and prints the
/// per-stream table (or the JSON object) once; `--json-lines` goes on printing one JSON object
/// per interval, on one line each, until stopped.
///
/// Exit status (README "Script contract"): 0 every source answered, 2 some did not (their
/// errors are in the output and on stderr), 1 none did.
public struct OnceRun {
    let sources: [SourceSpec]
    let definition: DashboardDefinition
    let intervalMillis: Int

    public init(sources: [SourceSpec], definition: DashboardDefinition, intervalMillis: Int) {
        self.sources = sources
        self.definition = definition
        self.intervalMillis = intervalMillis
    }

    public enum Format: Sendable { case text, json, jsonLines }

    /// What to print and how to exit.
    public struct Outcome: Sendable {
        public var output: String
        /// One line per source that did not answer (`unix:/x.sock: connect: …`).
        public var errors: [String]
        /// One line per source that answered with lines that could not be read.
        public var warnings: [String]
        public var exitCode: Int32
    }

    public func run(_ format: Format) -> Outcome {
        var data = CollectedData(sources: sources, capacity: 2)
        var failed: [Int: String] = [:]
        for round in 0..<2 {
            if round == 1 { usleep(UInt32(intervalMillis) * 1000) }
            failed = [:]
            for failure in ScrapeRound.scrapeAll(sources, into: &data, timeoutMillis: 5000, first: round == 0) {
                failed[failure.index] = failure.message
            }
        }
        return outcome(format, data, failed)
    }

    /// `--json-lines`: a line per interval, each from the scrapes of that interval and the one
    /// before; scrapes start on a fixed schedule (start + k × interval) so lines do not drift.
    /// Stops at SIGINT/SIGTERM, or when nobody reads the output.
    public func stream(write: (String) -> Bool) -> Int32 {
        var data = CollectedData(sources: sources, capacity: 2)
        let stop = StopFlag()
        let signals = SignalWatch([SIGINT, SIGTERM, SIGPIPE]) { stop.set() }
        defer { signals.cancel() }
        let start = Clocks.monotonicMicros()
        var tick: UInt64 = 0
        var worst: Int32 = 0
        _ = ScrapeRound.scrapeAll(sources, into: &data, timeoutMillis: Int32(min(intervalMillis, 5000)), first: true)
        while !stop.isSet {
            tick += 1
            let due = start + tick * UInt64(intervalMillis) * 1000
            while !stop.isSet, Clocks.monotonicMicros() < due {
                usleep(UInt32(min(due - Clocks.monotonicMicros(), 100_000)))
            }
            if stop.isSet { break }
            var failed: [Int: String] = [:]
            for failure in ScrapeRound.scrapeAll(sources, into: &data, timeoutMillis: Int32(min(intervalMillis, 5000))) {
                failed[failure.index] = failure.message
            }
            let line = outcome(.jsonLines, data, failed)
            worst = max(worst, line.exitCode)
            if !write(line.output) { break }
        }
        return worst == 1 ? 2 : worst
    }

    private func outcome(_ format: Format, _ data: CollectedData, _ failed: [Int: String]) -> Outcome {
        // A source that answered with lines bptop could not read is named too, as the live
        // header does ("3 lines skipped"): its table may be short for that reason.
        let errors = sources.indices.compactMap { failed[$0] }
        let warnings = sources.indices.compactMap { i -> String? in
            let skipped = data.sources[i].skippedLines
            guard failed[i] == nil, skipped > 0 else { return nil }
            return "\(sources[i].text): \(CountText.of(skipped, "line")) could not be read (skipped)"
        }
        let code: Int32 = failed.isEmpty ? 0 : (failed.count == sources.count ? 1 : 2)
        let output: String
        switch format {
        case .text:
            output = code == 1 ? "" : OnceReport.text(definition: definition, store: data.store)
        case .json, .jsonLines:
            let reports = sources.indices.map { i in
                OnceReport.SourceReport(source: sources[i].text, name: data.sources[i].name, error: failed[i])
            }
            output = OnceReport.json(definition: definition, store: data.store, sources: reports,
                                     time: Double(Clocks.wallMicros()) / 1e6, intervalSeconds: Double(intervalMillis) / 1000,
                                     lineDepth: format == .jsonLines ? 0 : 2)
        }
        return Outcome(output: output, errors: errors, warnings: warnings, exitCode: code)
    }
}

/// Set from the signal queue, read by the loop.
private final class StopFlag: Sendable {
    private let flag = Atomic<Bool>(false)
    func set() { flag.store(true, ordering: .relaxed) }
    var isSet: Bool { flag.load(ordering: .relaxed) }
}
