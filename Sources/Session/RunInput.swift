#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dashboard
import Feeds
import Recording
import Telemetry

/// A finished run read from files, for `bptop report --threshold`, `compare` and `plot`: an
/// iperf3 log (text, `--json` or `--json-stream`) with, optionally, the agent's figures —
/// scraped once from `sources` (the agent keeps closed streams for `--closed-retention`) or
/// read from saved `/metrics` bodies (`curl --unix-socket … /metrics > after.prom`), so runs
/// made before bptop was around can be compared. Everything goes through the dashboard's
/// ingest and a `RunBuilder` (see `MeasuredRun`), as a recording will.
public enum RunInput {
    public struct Failure: Error, CustomStringConvertible {
        public let message: String
        public var description: String { message }
    }

    /// The run, and the agents' scrapes it joined (nil without agents) for a summary beside it.
    public struct Loaded: Sendable {
        public let run: MeasuredRun
        public let agent: TimeSeriesStore?
    }

    /// Whether `path` is a recording (its first bytes are the format's magic).
    public static func isRecording(_ path: String) -> Bool {
        guard let fd = Optional(open(path, O_RDONLY)), fd >= 0 else { return false }
        defer { close(fd) }
        var head = [UInt8](repeating: 0, count: 8)
        return read(fd, &head, 8) == 8 && head == Array("BPTOPREC".utf8)
    }

    /// A recording (`bptop record`, `--record`): every event replayed through the ingest the
    /// live session used, the run observed after each scrape as live does, so thresholds,
    /// compare and plot read the whole run with the agent's series over time. A file cut short
    /// is read up to its last whole record; `problem` says so.
    public static func load(recording path: String) throws(Failure) -> (loaded: Loaded, problem: String?) {
        let reader: RecordingReader
        do { reader = try RecordingReader(path: path) } catch { throw Failure(message: "\(error)") }
        var data = CollectedData(recording: reader.start, capacity: UIState.windowSteps.last!)
        var builder = RunBuilder()
        while let event = reader.next() {
            data.apply(event)
            if case .scrape = event { builder.observe(data) }
        }
        let title = reader.start.iperf3Run ?? reader.start.command.joined(separator: " ")
        return (Loaded(run: builder.run(data, title: title), agent: reader.start.sources.isEmpty ? nil : data.store), reader.problem)
    }

    /// The charts of `definition` over a whole recording: the recording replayed into a store as
    /// long as the run (counted in a first pass) and one frame built with a window that long,
    /// as the live view would have drawn it had its window held the whole run.
    public static func charts(recording path: String, definition: DashboardDefinition) throws(Failure)
        -> (title: String, charts: [(title: String, chart: ChartModel)], problem: String?) {
        let counting: RecordingReader
        do { counting = try RecordingReader(path: path) } catch { throw Failure(message: "\(error)") }
        var scrapes: [Int: Int] = [:]
        while let event = counting.next() {
            switch event {
            case .scrape(let source, _, _), .scrapeFailed(let source, _, _): scrapes[source, default: 0] += 1
            case .iperf3: scrapes[-1, default: 0] += 1
            case .frame: break
            }
        }
        let slots = Swift.max((scrapes.values.max() ?? 0) + 1, 2)
        let reader: RecordingReader
        do { reader = try RecordingReader(path: path) } catch { throw Failure(message: "\(error)") }
        var data = CollectedData(recording: reader.start, capacity: slots)
        while let event = reader.next() { data.apply(event) }
        let now = reader.lastTime ?? reader.start.startTime
        let model = ModelBuilder.build(definition: definition, store: data.store, sources: data.sources,
                                       ui: UIState(windowSlots: slots, showIdle: true), now: now, iperf3: data.iperf3)
        let charts = model.panels.compactMap { panel -> (title: String, chart: ChartModel)? in
            if case .chart(let chart) = panel.content { return (panel.title, chart) }
            return nil
        }
        let title = [reader.start.iperf3Run ?? reader.start.command.joined(separator: " "),
                     "started " + PrintedSummary.localTime(reader.start.startTime), definition.title].joined(separator: " · ")
        return (title, charts, reader.problem)
    }

    public static func load(iperf3 path: String, sources: [SourceSpec] = [], agentFiles: [String] = []) throws(Failure) -> Loaded {
        guard let log = FileBytes.read(path) else { throw Failure(message: "cannot read \(path): \(String(cString: strerror(errno)))") }
        return try load(iperf3: log, from: path, sources: sources, agentFiles: agentFiles)
    }

    /// The same for an output already read (`path` names it: `-` for standard input).
    public static func load(iperf3 log: [UInt8], from path: String, sources: [SourceSpec] = [], agentFiles: [String] = []) throws(Failure) -> Loaded {
        var bodies: [[UInt8]] = []
        for file in agentFiles {
            guard let body = FileBytes.read(file) else { throw Failure(message: "cannot read \(file): \(String(cString: strerror(errno)))") }
            bodies.append(body)
        }
        let names = CollectedData.uniqueNames(sources.map(\.shortName) + agentFiles.map { String($0.split(separator: "/").last ?? Substring($0)) })
        var data = CollectedData(names: names, capacity: 2, iperf3: true)
        let now = Double(Clocks.wallMicros()) / 1e6
        data.ingest(iperf3: .bytes(log), at: now)
        data.ingest(iperf3: .ended(nil), at: now)
        guard let feed = data.iperf3, feed.currentTest != nil else {
            throw Failure(message: "no iperf3 output found in \(path) (\(CountText.of(data.iperf3?.report.skippedLines ?? 0, "line")) could not be read)")
        }
        if let failure = ScrapeRound.scrapeAll(sources, into: &data, timeoutMillis: 5000).first { throw Failure(message: failure.message) }
        for (i, body) in bodies.enumerated() { data.ingest(source: sources.count + i, body: body, at: now) }
        var builder = RunBuilder()
        builder.observe(data)
        return Loaded(run: builder.run(data, title: Iperf3Input(option: path).name),
                      agent: sources.isEmpty && agentFiles.isEmpty ? nil : data.store)
    }
}
