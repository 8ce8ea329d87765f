import Telemetry

/// What the first record says about the run: enough to set up the same collected data live
/// had (its sources' names, whether an iperf3 run was read) and to title what is shown.
public struct RecordingStart: Equatable, Sendable {
    /// bptop's command line, as typed.
    public var command: [String]
    /// Wall-clock seconds when recording began.
    public var startTime: Double
    /// Scrape interval at the start, in milliseconds.
    public var intervalMillis: Int
    /// Each scrape source: as given (`unix:/run/bpagent.sock`) and its display name.
    public var sources: [Source]
    /// The iperf3 run's name (its command, or where its output came from), nil without one.
    public var iperf3Run: String?
    /// The dashboard that was shown (or, headless, the one that would be).
    public var dashboard: String
    /// bptop's version and revision that wrote the file.
    public var writer: String

    public struct Source: Equatable, Sendable {
        public var spec: String
        public var name: String

        public init(spec: String, name: String) {
            self.spec = spec
            self.name = name
        }
    }

    public init(command: [String], startTime: Double, intervalMillis: Int, sources: [Source], iperf3Run: String?,
                dashboard: String, writer: String) {
        self.command = command
        self.startTime = startTime
        self.intervalMillis = intervalMillis
        self.sources = sources
        self.iperf3Run = iperf3Run
        self.dashboard = dashboard
        self.writer = writer
    }

    var json: JSONNode {
        .object([
            ("format", "bptop-recording"),
            ("version", .integer(Int(RecordingFile.version))),
            ("writer", .string(writer)),
            ("command", .array(command.map { .string($0) })),
            ("start_time_seconds", .number(startTime)),
            ("interval_seconds", .number(Double(intervalMillis) / 1000)),
            ("sources", .array(sources.map { .object([("source", .string($0.spec)), ("name", .string($0.name))]) })),
            ("iperf3", .string(iperf3Run)),
            ("dashboard", .string(dashboard)),
        ])
    }

    init?(json value: JSONValue) {
        guard value["format"]?.string == "bptop-recording", let start = value["start_time_seconds"]?.double,
              let interval = value["interval_seconds"]?.double, let dashboard = value["dashboard"]?.string else { return nil }
        var sources: [Source] = []
        for source in value["sources"]?.array ?? [] {
            guard let spec = source["source"]?.string, let name = source["name"]?.string else { return nil }
            sources.append(Source(spec: spec, name: name))
        }
        self.init(command: (value["command"]?.array ?? []).compactMap(\.string), startTime: start,
                  intervalMillis: Int((interval * 1000).rounded()), sources: sources, iperf3Run: value["iperf3"]?.string,
                  dashboard: dashboard, writer: value["writer"]?.string ?? "")
    }
}
