import Telemetry
/// One measured run reduced to what thresholds, `bptop compare` and `bptop plot` read: per
/// direction its time series (throughput as iperf3 and the agent saw it, buffer-full events
/// and retries per second, stall p99 and max) and one total per `RunMetric`, plus the title
/// and the one-line summary per direction.
///
/// **The seam.** Every input becomes a run through the dashboard's own ingest: scrapes go into
/// `CollectedData` (`ingest(source:body:at:)`), iperf3 output into its feed
/// (`ingest(iperf3:at:)`), and `RunBuilder.observe(_:)` after each ingest turns the newest
/// scrapes into the run's series; `RunBuilder.run(_:title:)` finishes it. The live view and
/// `--once` call it as scrapes arrive, `report`/`compare`/`plot` after reading a finished iperf3
/// log and one scrape (or a saved `/metrics` body). A recording adapts the same way: its reader
/// replays each recorded scrape and iperf3 chunk through the same two ingests, with the
/// recorded times, and calls `observe` after each, so nothing downstream knows where a run
/// came from.
public struct MeasuredRun: Sendable {
    /// The command or log the run came from.
    public var title: String
    /// iperf3's start time as it printed it, or when bptop saw it begin.
    public var started: String?
    /// Seconds from the run's first to its last sample.
    public var seconds: Double
    /// `c2s` then `s2c`, the directions the run has.
    public var directions: [RunDirection]

    public init(title: String, started: String? = nil, seconds: Double, directions: [RunDirection]) {
        self.title = title
        self.started = started
        self.seconds = seconds
        self.directions = directions
    }

    public func direction(_ dir: String) -> RunDirection? {
        directions.first { $0.dir == dir }
    }

    /// One line per direction to paste into a pull request: `c2s: 9.41 Gb/s mean · 124
    /// buffer-full events in 600 s, up to 1624 retries for one, longest stall 12.7 ms`.
    public var headlines: [String] {
        directions.map { d in
            var parts: [String] = []
            if let mean = d.totals[.throughputMean] { parts.append(ValueFormatter.string(mean, unit: .bitsPerSecond) + " mean") }
            if let events = d.totals[.bufferFull] {
                let most = Int(d.totals[.retriesMax] ?? 0)
                parts.append("\(CountText.of(Int(events), "buffer-full event")) in \(ValueFormatter.string(seconds, unit: .seconds)), "
                             + "up to \(CountText.of(most, "retry", plural: "retries")) for one, longest stall "
                             + ValueFormatter.string(d.totals[.stallMax] ?? 0, unit: .seconds))
            }
            return "\(d.dir): " + (parts.isEmpty ? "no data" : parts.joined(separator: " · "))
        }
    }
}

/// One direction of a run.
public struct RunDirection: Sendable {
    /// `c2s` (from the iperf3 client, or the agent's connecting side) or `s2c`.
    public let dir: String
    /// iperf3's throughput per interval (bytes/s; the sum over its streams).
    public var iperf3Throughput: [RunPoint] = []
    /// The agent's throughput per scrape (bytes/s, all streams).
    public var agentThroughput: [RunPoint] = []
    /// Buffer-full events per second, per scrape.
    public var bufferFullRate: [RunPoint] = []
    public var retriesRate: [RunPoint] = []
    /// Stall p99 and the longest stall per scrape (seconds), from the stall histogram.
    public var stallP99: [RunPoint] = []
    public var stallMax: [RunPoint] = []
    /// Per stream throughput (iperf3's streams, else the agent's), for `plot --streams topN`.
    public var streams: [RunSeries] = []
    /// The run's figures; a metric without data is absent.
    public var totals: [RunMetric: Double] = [:]

    public init(dir: String) {
        self.dir = dir
    }
}

/// A sample of a run's series: seconds since the run began and the value (nil: a gap).
public struct RunPoint: Equatable, Sendable {
    public var time: Double
    public var value: Double?

    public init(time: Double, value: Double?) {
        self.time = time
        self.value = value
    }
}

/// A named series (one stream's throughput).
public struct RunSeries: Sendable {
    public var name: String
    public var points: [RunPoint]

    /// The mean of the values present, for choosing the top streams.
    public var mean: Double {
        let present = points.compactMap(\.value)
        return present.isEmpty ? 0 : present.reduce(0, +) / Double(present.count)
    }
}
