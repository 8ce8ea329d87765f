import Dashboard
import Feeds

extension CollectedData {
    /// Empty data set up as the recorded run's was: the same source names, and the iperf3
    /// source when it read a run.
    public init(recording start: RecordingStart, capacity: Int) {
        // A Prometheus source keeps its series' own `instance` in replay as it did live.
        let federating = start.sources.filter { (try? SourceSpec(parsing: $0.spec))?.federates == true }.map(\.name)
        self.init(names: start.sources.map(\.name), capacity: capacity, iperf3: start.iperf3Run != nil, federating: Set(federating))
    }

    /// Takes one recorded event the way the live session took it (frames change no data).
    public mutating func apply(_ event: RecordedEvent) {
        switch event {
        case .scrape(let source, let exposition, let time): ingest(source: source, exposition: exposition, at: time)
        case .scrapeFailed(let source, let reason, let time): recordFailure(source: source, at: time, reason: reason)
        case .iperf3(let iperf3Event, let time): ingest(iperf3: iperf3Event, at: time)
        case .frame: break
        }
    }
}
