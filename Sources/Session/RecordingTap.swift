import Dashboard
import Feeds
import Recording
import Telemetry

/// Where every session puts what it collected: into the collected data, and — with `--record`
/// or `bptop record` — into the recording too, exactly as ingested (a scrape after parsing, so
/// the file and the screen saw the same samples). Without a writer it only ingests.
struct RecordingTap {
    let writer: RecordingWriter?

    /// A body that is not an exposition is recorded as it was parsed and comes back as the
    /// reason the scrape failed (replay refuses it the same way).
    @discardableResult
    func scrape(_ data: inout CollectedData, source: Int, body: [UInt8], at time: Double) -> CollectedData.NotAnExposition? {
        // Unrecorded, a body that repeats the last one's lines needs only its values read.
        guard let writer else { return data.ingest(source: source, body: body, at: time) }
        let exposition = PrometheusTextParser.parse(body)
        writer.scrape(source: source, exposition: exposition, at: time)
        return data.ingest(source: source, exposition: exposition, at: time)
    }

    func failure(_ data: inout CollectedData, source: Int, message: String, at time: Double) {
        writer?.scrapeFailed(source: source, message: message, at: time)
        data.recordFailure(source: source, at: time, reason: message)
    }

    func iperf3(_ data: inout CollectedData, _ delivery: Mailbox.Iperf3Delivery) {
        writer?.iperf3(delivery.event, at: delivery.time)
        data.ingest(iperf3: delivery.event, at: delivery.time)
    }

    /// The screen (or, headless, the batch) was computed for `time`.
    func frame(at time: Double) {
        writer?.frame(at: time)
    }

    /// What was recorded since the last flush goes to the file, in one append.
    func flush() {
        writer?.flush()
    }

    /// Everything a batch of collector and iperf3 output holds, in the order the live loop takes it.
    func take(_ delivered: (scrapes: [Collector.Scrape], iperf3: [Mailbox.Iperf3Delivery]), into data: inout CollectedData,
              while keepGoing: () -> Bool) {
        for s in delivered.scrapes where keepGoing() {
            switch s.result {
            case .success(let body): scrape(&data, source: s.sourceIndex, body: body, at: s.time)
            case .failure(let error): failure(&data, source: s.sourceIndex, message: "\(error)", at: s.time)
            }
        }
        for delivery in delivered.iperf3 { iperf3(&data, delivery) }
    }
}

extension RecordingStart {
    /// The start record of a session bptop runs now, with these sources and iperf3 run.
    public init(sources: [SourceSpec], intervalMillis: Int, iperf3: Iperf3Input?, dashboard: String) {
        let names = CollectedData.uniqueNames(sources.map(\.shortName))
        self.init(command: CommandLine.arguments, startTime: Double(Clocks.wallMicros()) / 1e6, intervalMillis: intervalMillis,
                  sources: zip(sources, names).map { Source(spec: $0.text, name: $1) }, iperf3Run: iperf3?.name,
                  dashboard: dashboard, writer: "bptop \(BuildInfo.releaseVersion)")
    }
}
