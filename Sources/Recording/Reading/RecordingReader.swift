import Feeds
import Telemetry

/// Reads a recording (README "Recording format") as timed events, in the order they happened.
///
/// This is the public way into a recording: replay, export and anything else that reads runs
/// after the fact (thresholds, compare, plot) take `start` and then `next()` until it returns
/// nil; `CollectedData.apply(_:)` turns each event into exactly what the live dashboard ingested.
/// A file still being written can be read as it grows: `next()` returns nil at the end of what
/// is there, and returns more once the writer has flushed more (`state` stays `.open`).
///
/// A file cut short (a recorder killed with SIGKILL, a full disk) or damaged is read up to its
/// last whole record; `problem` then says so in one line.
public final class RecordingReader {
    public enum State: Equatable, Sendable {
        /// No end record yet: still being written, or its writer stopped without closing it.
        case open
        /// The end record was read at this time: the recording is complete.
        case complete(endTime: Double)
        /// Reading stopped at damage (why); the events before it were read.
        case damaged(String)
    }

    public let path: String
    public let start: RecordingStart
    public private(set) var state: State = .open
    /// Records read so far (all kinds).
    public var recordsRead: Int { records.recordsRead }
    /// The time of the newest event read.
    public private(set) var lastTime: Double?

    private let records: RecordStream
    private var decoder = ScrapeDecoder()
    private var times = TimeCoding()

    /// Opens `path` and reads its start record.
    public init(path: String) throws(RecordingError) {
        self.path = path
        records = try RecordStream(path: path)
        guard let (kind, body) = records.next(), kind == .start, let json = JSONReader.parse(body),
              let start = RecordingStart(json: json) else {
            throw RecordingError("\(path): its start record is missing or damaged")
        }
        self.start = start
    }

    /// The next event; nil at the end of what the file holds now (see `state`).
    public func next() -> RecordedEvent? {
        while case .open = state {
            guard let (kind, body) = records.next() else {
                if case .damaged(let why) = records.condition { state = .damaged(why) }
                return nil
            }
            var cursor = RecordCursor(body)
            do {
                if let event = try event(kind, &cursor) {
                    lastTime = event.time
                    return event
                }
            } catch {
                state = .damaged("record \(records.recordsRead) cannot be read")
            }
        }
        return nil
    }

    /// One line when the file did not end as a finished recording does, nil when it did (or
    /// when reading has not reached its end yet).
    public var problem: String? {
        let upTo = lastTime.map { "; read up to \(Self.seconds($0 - start.startTime)) s" } ?? ""
        switch state {
        case .complete: return nil
        case .damaged(let why): return "\(path): damaged after \(recordsRead) records (\(why))\(upTo)"
        case .open:
            let cut = records.endsInsideRecord ? " inside a record" : ""
            return "\(path): ends\(cut) without its end record (the recorder was stopped before closing it)\(upTo)"
        }
    }

    private static func seconds(_ s: Double) -> String {
        s.rounded() == s ? String(Int(s)) : String((s * 10).rounded() / 10)
    }

    private func event(_ kind: RecordKind, _ cursor: inout RecordCursor) throws(RecordCursor.Malformed) -> RecordedEvent? {
        switch kind {
        case .start: throw RecordCursor.Malformed()
        case .family: try decoder.readFamily(&cursor)
        case .series: try decoder.readSeries(&cursor)
        case .forget: decoder.forget()
        case .scrape:
            let (source, exposition, time) = try decoder.readScrape(&cursor, times: &times)
            guard source < start.sources.count else { throw RecordCursor.Malformed() }
            return .scrape(source: source, exposition: exposition, time: time)
        case .scrapeFailed:
            let source = try cursor.count()
            let time = try times.read(&cursor)
            guard source < start.sources.count else { throw RecordCursor.Malformed() }
            return .scrapeFailed(source: source, message: try cursor.string(), time: time)
        case .iperf3:
            let time = try times.read(&cursor)
            return .iperf3(try Iperf3EventCoding.read(&cursor), time: time)
        case .frame:
            return .frame(time: try times.read(&cursor))
        case .end:
            state = .complete(endTime: try times.read(&cursor))
        }
        return nil
    }
}
