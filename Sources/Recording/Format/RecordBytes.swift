/// The primitive encodings of a record body: LEB128 varints (zigzag for signed numbers),
/// length-prefixed UTF-8 strings and little-endian doubles. Small numbers take one byte, which
/// is what keeps a scrape of unchanged counters to about a byte per sample before deflate.
struct RecordBytes {
    private(set) var bytes: [UInt8] = []

    mutating func removeAll() { bytes.removeAll(keepingCapacity: true) }

    mutating func append(byte: UInt8) { bytes.append(byte) }

    mutating func append(varint value: UInt64) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    mutating func append(signed value: Int64) {
        append(varint: UInt64(bitPattern: (value << 1) ^ (value >> 63)))
    }

    mutating func append(string: String) {
        let utf8 = string.utf8
        append(varint: UInt64(utf8.count))
        bytes.append(contentsOf: utf8)
    }

    mutating func append(double: Double) {
        var bits = double.bitPattern
        for _ in 0..<8 {
            bytes.append(UInt8(truncatingIfNeeded: bits))
            bits >>= 8
        }
    }

    mutating func append(contentsOf other: some Collection<UInt8>) { bytes.append(contentsOf: other) }
}

/// Reads what `RecordBytes` wrote; every read is bounds-checked and a short or malformed body
/// throws, so a corrupt record is reported, never trusted.
struct RecordCursor {
    struct Malformed: Error {}

    private let bytes: ArraySlice<UInt8>
    private var at: Int

    init(_ bytes: ArraySlice<UInt8>) {
        self.bytes = bytes
        at = bytes.startIndex
    }

    var isAtEnd: Bool { at == bytes.endIndex }

    mutating func byte() throws(Malformed) -> UInt8 {
        guard at < bytes.endIndex else { throw Malformed() }
        defer { at += 1 }
        return bytes[at]
    }

    mutating func varint() throws(Malformed) -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let b = try byte()
            guard shift < 64 else { throw Malformed() }
            value |= UInt64(b & 0x7f) << shift
            if b < 0x80 { return value }
            shift += 7
        }
    }

    mutating func signed() throws(Malformed) -> Int64 {
        let v = try varint()
        return Int64(bitPattern: v >> 1) ^ -Int64(bitPattern: v & 1)
    }

    /// A count or index that must fit what is left of the body (`perItem` bytes each at least).
    mutating func count(perItem: Int = 1) throws(Malformed) -> Int {
        let v = try varint()
        guard v <= UInt64(bytes.endIndex - at) / UInt64(max(perItem, 1)) else { throw Malformed() }
        return Int(v)
    }

    mutating func string() throws(Malformed) -> String {
        let n = try count()
        defer { at += n }
        return String(decoding: bytes[at..<at + n], as: UTF8.self)
    }

    mutating func raw(_ n: Int) throws(Malformed) -> ArraySlice<UInt8> {
        guard n >= 0, n <= bytes.endIndex - at else { throw Malformed() }
        defer { at += n }
        return bytes[at..<at + n]
    }

    mutating func double() throws(Malformed) -> Double {
        let slice = try raw(8)
        var bits: UInt64 = 0
        for (i, b) in slice.enumerated() { bits |= UInt64(b) << (8 * UInt64(i)) }
        return Double(bitPattern: bits)
    }
}
