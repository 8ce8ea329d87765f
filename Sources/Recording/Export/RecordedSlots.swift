import Dashboard
import Telemetry

/// One slot of the store as a recording fills it: a scrape as it arrived, or one of iperf3's
/// intervals as the live `iperf3` source had it (`iperf3_bytes_total`, …).
struct RecordedSlot {
    let source: String
    let exposition: ParsedExposition
    let time: Double
}

enum RecordedSlots {
    /// Calls `body` with every slot of the recording at `path`, in recorded order, until it
    /// returns false; returns the reader's one-line problem (nil for a complete file).
    static func forEach(_ path: String, _ body: (RecordedSlot) -> Bool) throws(RecordingError) -> String? {
        let reader = try RecordingReader(path: path)
        // Only iperf3's output goes in: its parser makes the slots; scrapes are passed on as read.
        var data = CollectedData(recording: reader.start, capacity: 2)
        while let event = reader.next() {
            switch event {
            case .scrape(let source, let exposition, let time):
                guard body(RecordedSlot(source: reader.start.sources[source].name, exposition: exposition, time: time)) else { return nil }
            case .iperf3(let iperf3Event, let time):
                for slot in data.ingest(iperf3: iperf3Event, at: time) {
                    guard body(RecordedSlot(source: data.iperf3!.sourceName, exposition: slot.exposition, time: slot.time)) else { return nil }
                }
            case .scrapeFailed, .frame: break
            }
        }
        return reader.problem
    }
}
