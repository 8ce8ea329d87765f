#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CZlib
import Feeds
import Telemetry

/// Writes a recording (README "Recording format"): the header, then records that go through one
/// deflate stream. Records gather in memory until `flush`, which the recording loops call once
/// per batch of scrapes and iperf3 output (about once a second): that batch then reaches the
/// file in one append, so a recorder killed at any moment leaves every batch before it whole.
///
/// Used from one thread. A write that fails (a full disk) stops recording: `failure` says why,
/// and the session goes on, reporting it when it ends.
public final class RecordingWriter {
    public let path: String
    private let fd: Int32
    private let deflater = Deflater()
    var encoder = ScrapeEncoder()
    private var times = TimeCoding()
    private var pending: [UInt8] = []
    private var body = RecordBytes()
    /// Bytes written to the file so far (the header included).
    public private(set) var bytesWritten = 0
    /// Samples recorded so far (every sample of every scrape), for bytes-per-sample figures.
    public private(set) var samplesRecorded = 0
    /// Why the file stopped growing (`writing run.bprec: No space left on device`).
    public private(set) var failure: String?

    /// Creates (or empties) `path` and writes the header and the start record.
    public init(path: String, start: RecordingStart) throws(RecordingError) {
        self.path = path
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw RecordingError("cannot create \(path): \(String(cString: strerror(errno)))") }
        body.append(contentsOf: start.json.text(lineDepth: 0).utf8)
        append(.start, body)
        write(RecordingFile.header + deflater.compress(pending))
        pending.removeAll(keepingCapacity: true)
        if let failure { throw RecordingError(failure) }
    }

    deinit { close(fd) }

    /// One scrape of source `index` (its number in `RecordingStart.sources`).
    public func scrape(source index: Int, exposition: ParsedExposition, at time: Double) {
        encoder.encode(source: index, exposition: exposition, time: time, times: &times) { kind, body in append(kind, body) }
        samplesRecorded += exposition.samples.count
    }

    public func scrapeFailed(source index: Int, message: String, at time: Double) {
        body.removeAll()
        body.append(varint: UInt64(index))
        times.write(time, into: &body)
        body.append(string: message)
        append(.scrapeFailed, body)
    }

    public func iperf3(_ event: Iperf3Reader.Event, at time: Double) {
        body.removeAll()
        times.write(time, into: &body)
        Iperf3EventCoding.write(event, into: &body)
        append(.iperf3, body)
    }

    /// The live screen was drawn for `time`.
    public func frame(at time: Double) {
        body.removeAll()
        times.write(time, into: &body)
        append(.frame, body)
    }

    /// Compresses what was recorded since the last flush and appends it to the file.
    public func flush() {
        guard !pending.isEmpty else { return }
        write(deflater.compress(pending))
        pending.removeAll(keepingCapacity: true)
    }

    /// Writes the end record and ends the deflate stream: the file is complete.
    public func finish(at time: Double) {
        body.removeAll()
        times.write(time, into: &body)
        append(.end, body)
        write(deflater.compress(pending, finish: true))
        pending.removeAll()
        if failure == nil, fsync(fd) != 0 { failure = "writing \(path): \(String(cString: strerror(errno)))" }
    }

    /// A record: its length (varint), kind and body, then the CRC-32 of kind and body.
    private func append(_ kind: RecordKind, _ body: RecordBytes) {
        var length = RecordBytes()
        length.append(varint: UInt64(body.bytes.count + 1))
        pending.append(contentsOf: length.bytes)
        let start = pending.count
        pending.append(kind.rawValue)
        pending.append(contentsOf: body.bytes)
        let crc = pending[start...].withUnsafeBytes { UInt32(crc32(0, $0.baseAddress?.assumingMemoryBound(to: Bytef.self), uInt($0.count))) }
        for shift in stride(from: 0, to: 32, by: 8) { pending.append(UInt8(truncatingIfNeeded: crc >> UInt32(shift))) }
    }

    private func write(_ bytes: [UInt8]) {
        guard failure == nil else { return }
        var done = 0
        while done < bytes.count {
            let result = systemCall { bytes.withUnsafeBytes { systemWrite(fd, $0.baseAddress! + done, $0.count - done) } }
            guard case .done(let n) = result, n > 0 else {
                let code: Int32 = if case .failed(let e) = result { e } else { EIO }
                failure = "writing \(path): \(String(cString: strerror(code)))"
                return
            }
            done += n
        }
        bytesWritten += bytes.count
    }

    private func systemWrite(_ fd: Int32, _ p: UnsafeRawPointer, _ n: Int) -> Int {
        #if canImport(Glibc)
        Glibc.write(fd, p, n)
        #else
        Darwin.write(fd, p, n)
        #endif
    }
}

/// A recording that cannot be written or read, as one line (`run.bprec: not a bptop recording`).
public struct RecordingError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
