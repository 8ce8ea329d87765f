/// Writes lines into room a `ByteWriter` has set aside (`ByteWriter.withCursor`), with no
/// bounds check or `memmove` call per piece.
///
/// The per-stream lines are nine tenths of a `/metrics` (600,000 lines for 10,000 streams);
/// written through `ByteWriter.append`, a check and a library call for each of a line's four
/// pieces cost more than its bytes. Here pieces are copied 16 bytes at a time, so a copy may
/// write up to `overrun` bytes past the end of what it means to write (room the writer also sets
/// aside) and read as far past the end of its source (`TextPieces` pads its storage for that).
struct LineCursor {
    /// How far past its end a piece's copy may reach, in the output and in its source.
    static let overrun = 16

    private(set) var position: UnsafeMutablePointer<UInt8>

    init(_ position: UnsafeMutablePointer<UInt8>) {
        self.position = position
    }

    @inline(__always)
    mutating func append(_ piece: TextPiece) {
        let source = UnsafeRawPointer(piece.start)
        let target = UnsafeMutableRawPointer(position)
        var offset = 0
        repeat {
            target.storeBytes(of: source.loadUnaligned(fromByteOffset: offset, as: SIMD16<UInt8>.self),
                              toByteOffset: offset, as: SIMD16<UInt8>.self)
            offset &+= 16
        } while offset < piece.count
        position += piece.count
    }

    @inline(__always)
    mutating func append(byte: UInt8) {
        position.pointee = byte
        position += 1
    }

    /// `value` in decimal, two digits per division.
    @inline(__always)
    mutating func append(decimal value: UInt64) {
        var digits = 1
        var probe = value
        while probe >= 100 { probe /= 100; digits &+= 2 }
        if probe >= 10 { digits &+= 1 }
        writeDigits(value, count: digits)
        position += digits
    }

    /// Microseconds as seconds with up to six decimals ("12.0007", "0.000005", "3"), as
    /// `ByteWriter.append(microsAsSeconds:)` writes them.
    @inline(__always)
    mutating func append(microsAsSeconds micros: UInt64) {
        append(decimal: micros / 1_000_000)
        var fraction = micros % 1_000_000
        guard fraction != 0 else { return }
        append(byte: UInt8(ascii: "."))
        var width = 6
        while fraction % 10 == 0 { fraction /= 10; width &-= 1 }
        writeDigits(fraction, count: width)
        position += width
    }

    /// A Prometheus label value with `\`, `"` and newline escaped (at most twice its length).
    mutating func append(labelValue s: String) {
        // Nearly every value (an address, a protocol) needs no escape: then one copy.
        let copied: Bool? = s.utf8.withContiguousStorageIfAvailable { bytes in
            guard let start = bytes.baseAddress else { return true }
            for b in bytes where b == UInt8(ascii: "\\") || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\n") { return false }
            UnsafeMutableRawPointer(position).copyMemory(from: start, byteCount: bytes.count)
            position += bytes.count
            return true
        }
        if copied == true { return }
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "\\"): append(byte: b); append(byte: b)
            case UInt8(ascii: "\""): append(byte: UInt8(ascii: "\\")); append(byte: b)
            case UInt8(ascii: "\n"): append(byte: UInt8(ascii: "\\")); append(byte: UInt8(ascii: "n"))
            default: append(byte: b)
            }
        }
    }

    /// The last `count` decimal digits of `value`, zero-padded, at `position`.
    @inline(__always)
    private func writeDigits(_ value: UInt64, count: Int) {
        // Two digits per load and store, from a literal: no lazy global or bounds check.
        let pairs = UnsafeRawPointer(Self.pairs.utf8Start)
        let out = UnsafeMutableRawPointer(position)
        var v = value
        var i = count
        while i >= 2 {
            let pair = Int(truncatingIfNeeded: v % 100)
            v /= 100
            i &-= 2
            out.storeBytes(of: pairs.loadUnaligned(fromByteOffset: pair &* 2, as: UInt16.self), toByteOffset: i, as: UInt16.self)
        }
        if i == 1 { position[0] = UInt8(truncatingIfNeeded: v % 10) &+ 48 }
    }

    /// "00" "01" … "99".
    private static let pairs: StaticString = """
        00010203040506070809101112131415161718192021222324252627282930313233343536373839\
        40414243444546474849505152535455565758596061626364656667686970717273747576777879\
        8081828384858687888990919293949596979899
        """
}

/// A piece of text in a `TextPieces` store.
struct TextPiece {
    let start: UnsafePointer<UInt8>
    let count: Int
}

/// Pieces of text in one allocation, padded at the end so `LineCursor` can copy each one
/// 16 bytes at a time.
final class TextPieces: @unchecked Sendable {
    /// Appends pieces one after another; `endPiece` marks where each ends.
    struct Builder: ~Copyable {
        var text: ByteWriter
        fileprivate var ends: [Int] = []

        mutating func endPiece() { ends.append(text.count) }
    }

    // Never written after `init` (so shared freely): the pieces point into it.
    private let storage: ByteWriter
    let pieces: [TextPiece]

    init(capacity: Int = 4096, _ build: (inout Builder) -> Void) {
        var builder = Builder(text: ByteWriter(capacity: capacity))
        build(&builder)
        builder.text.reserveCapacity(builder.text.count + LineCursor.overrun)
        let base = builder.text.baseAddress
        var start = 0
        pieces = builder.ends.map { end in
            defer { start = end }
            return TextPiece(start: base + start, count: end - start)
        }
        storage = builder.text
    }

    convenience init(_ texts: [StaticString]) {
        self.init { b in
            for t in texts { b.text.append(t); b.endPiece() }
        }
    }

    subscript(i: Int) -> TextPiece { pieces[i] }
}
