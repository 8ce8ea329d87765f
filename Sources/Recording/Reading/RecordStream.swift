#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CZlib

/// The records of a recording file, checked: reads the file as far as it goes now (more later,
/// if it grows), inflates it and cuts the result into records, verifying each one's CRC-32.
final class RecordStream {
    enum Condition: Equatable {
        case reading
        /// The bytes stopped making sense here (why).
        case damaged(String)
    }

    private(set) var condition = Condition.reading
    private(set) var recordsRead = 0
    private let fd: Int32
    private var offset: off_t
    private let inflater = Inflater()
    private var decoded: [UInt8] = []
    private var at = 0
    private var chunk = [UInt8](repeating: 0, count: 65536)
    /// Inflating failed here: the records decoded before it are still read.
    private var streamDamage: String?

    /// Opens `path` and checks its header.
    init(path: String) throws(RecordingError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw RecordingError("cannot open \(path): \(String(cString: strerror(errno)))") }
        var header = [UInt8](repeating: 0, count: RecordingFile.header.count)
        let n = header.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        guard n == header.count, Array(header.prefix(RecordingFile.magic.count)) == RecordingFile.magic else {
            close(fd)
            throw RecordingError("\(path): not a bptop recording")
        }
        guard header.last == RecordingFile.version else {
            close(fd)
            throw RecordingError("\(path): recording format version \(header.last!), this bptop reads version \(RecordingFile.version)")
        }
        self.fd = fd
        offset = off_t(n)
    }

    deinit { close(fd) }

    /// A record was cut short: the file ends inside one.
    var endsInsideRecord: Bool { at < decoded.count }

    /// The next whole record (kind and body), reading more of the file as needed; nil at the end
    /// of what the file holds now, or at damage (`condition`).
    func next() -> (RecordKind, ArraySlice<UInt8>)? {
        while condition == .reading {
            if let record = nextDecoded() { return record }
            guard readMore() else { return nil }
        }
        return nil
    }

    private func nextDecoded() -> (RecordKind, ArraySlice<UInt8>)? {
        var cursor = RecordCursor(decoded[at...])
        guard let length = try? cursor.varint() else { return nil }
        guard length >= 1, length <= UInt64(RecordingFile.maxRecordBytes) else {
            condition = .damaged("record \(recordsRead + 1) has an impossible length")
            return nil
        }
        let begin = at + Self.varintSize(length)
        guard decoded.count - begin >= Int(length) + 4 else { return nil }
        let record = decoded[begin..<begin + Int(length)]
        var crc: UInt32 = 0
        for i in 0..<4 { crc |= UInt32(decoded[begin + Int(length) + i]) << (8 * UInt32(i)) }
        let actual = record.withUnsafeBytes { UInt32(crc32(0, $0.baseAddress?.assumingMemoryBound(to: Bytef.self), uInt($0.count))) }
        guard actual == crc else {
            condition = .damaged("record \(recordsRead + 1) fails its checksum")
            return nil
        }
        guard let kind = RecordKind(rawValue: record.first!) else {
            condition = .damaged("record \(recordsRead + 1) is of an unknown kind \(record.first!)")
            return nil
        }
        at = begin + Int(length) + 4
        recordsRead += 1
        return (kind, record.dropFirst())
    }

    private static func varintSize(_ value: UInt64) -> Int {
        var n = 1
        var v = value
        while v >= 0x80 { v >>= 7; n += 1 }
        return n
    }

    /// Inflates the next piece of the file; false when there is nothing new (or on damage).
    private func readMore() -> Bool {
        guard !inflater.ended else { return false }
        if let streamDamage {
            condition = .damaged(streamDamage)
            return false
        }
        if at > 0 {
            decoded.removeFirst(at)
            at = 0
        }
        let n = chunk.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, offset) }
        guard n > 0 else {
            if n < 0 { condition = .damaged("read: \(String(cString: strerror(errno)))") }
            return false
        }
        offset += off_t(n)
        if case .damaged(let why) = inflater.inflate(chunk[0..<n], into: &decoded) { streamDamage = "compressed data: \(why)" }
        return true
    }
}
