/// A scrape's lines less its sample values: what the next scrape of the same exporter most
/// likely repeats byte for byte. An exporter writes the same families, series and labels in the
/// same order every scrape and only the numbers move, so a body whose every line matches
/// needs nothing parsed but its values: no names, labels or strings built, no family
/// resolved, no series looked up (reading bpagent's text was most of bptop's work per scrape).
///
/// Each line is kept as its length and a 64-bit hash of its bytes (outside the value), not
/// the body itself: 16 bytes a line instead of the 5 MB text of 1,000 streams held beside the
/// next scrape's. A changed line passes for the old one only if both its length and its hash
/// agree by chance (2⁻⁶⁴ for a line); the values' position in the line is checked byte by byte.
///
/// Made only from a body that parsed without a skipped line and without sample timestamps;
/// `values(of:)` gives up (nil) at the first difference — a line added, removed or changed
/// outside its value, a value followed by anything (a timestamp), a negative value (whether it
/// is allowed depends on the family) or one that is not a number — and the body is then parsed
/// whole, as any other.
public struct ExpositionSkeleton: Sendable {
    /// One line of the body it was made from: its first `keyLength` bytes must repeat (their
    /// hash `key`); a sample's value follows, up to the newline.
    private struct Line: Sendable {
        var key: UInt64
        var keyLength: Int32
        var isSample: Bool
        var terminated: Bool
    }

    private let lines: [Line]
    /// The samples `values(of:)` gives values for, in order: those of the body's parse.
    public let sampleCount: Int

    /// nil when the parse of `body` (`shape`) skipped a line or has a stamped sample, or the
    /// body is too large to index with 32 bits.
    public init?(body: [UInt8], shape: ExpositionShape) {
        guard shape.skippedLines == 0, shape.stampedSamples == 0, body.count < Int(Int32.max) else { return nil }
        var lines: [Line] = []
        body.withUnsafeBufferPointer { body in
            var start = 0
            while start < body.count {
                var end = start
                while end < body.count, body[end] != UInt8(ascii: "\n") { end += 1 }
                lines.append(Self.line(body, start..<end, terminated: end < body.count))
                start = end + 1
            }
        }
        guard lines.count(where: \.isSample) == shape.samples else { return nil }
        self.lines = lines
        sampleCount = shape.samples
    }

    /// A sample line's key ends where its last blank-separated token (the value) begins; any
    /// other line (comment, blank, the unterminated rest) must repeat whole.
    private static func line(_ body: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, terminated: Bool) -> Line {
        var first = range.lowerBound
        while first < range.upperBound, ByteCursor.isBlank(body[first]) { first += 1 }
        var keyEnd = range.upperBound
        let isSample = terminated && first < range.upperBound && body[first] != UInt8(ascii: "#")
        if isSample {
            while keyEnd > first, !ByteCursor.isBlank(body[keyEnd - 1]) { keyEnd -= 1 }
        }
        return Line(key: LineHash.of(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: body[range.lowerBound..<keyEnd]))),
                    keyLength: Int32(keyEnd - range.lowerBound), isSample: isSample, terminated: terminated)
    }

    /// The sample values of `new` when it repeats this skeleton's lines, else nil.
    public func values(of new: [UInt8]) -> [Double]? {
        var values: [Double] = []
        values.reserveCapacity(sampleCount)
        let matched = new.withUnsafeBufferPointer { read($0, into: &values) }
        return matched ? values : nil
    }

    private func read(_ new: UnsafeBufferPointer<UInt8>, into values: inout [Double]) -> Bool {
        var position = 0
        for line in lines {
            let key = Int(line.keyLength)
            guard position + key <= new.count,
                  LineHash.of(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: new[position..<(position + key)]))) == line.key else { return false }
            position += key
            if line.isSample {
                // The key ends in the blank before the value, as it did.
                guard key > 0, ByteCursor.isBlank(new[position - 1]) else { return false }
                let valueStart = position
                while position < new.count, new[position] != UInt8(ascii: "\n") {
                    // A blank or `\r` after the value (a timestamp, trailing space): parse it whole.
                    if ByteCursor.isBlank(new[position]) || new[position] == UInt8(ascii: "\r") { return false }
                    position += 1
                }
                guard position < new.count, position > valueStart,
                      let value = NumberParsing.double(UnsafeBufferPointer(rebasing: new[valueStart..<position])),
                      !(value < 0) else { return false }
                values.append(value)
                position += 1
            } else if line.terminated {
                guard position < new.count, new[position] == UInt8(ascii: "\n") else { return false }
                position += 1
            }
        }
        return position == new.count
    }
}

/// A 64-bit hash of a line's bytes, eight at a time, each word folded in by a full-width
/// multiply (as wyhash does): fast enough to read every line of a 5 MB scrape in a
/// millisecond or two, and every bit of the input reaches every bit of the result.
enum LineHash {
    private static let seed: UInt64 = 0xA076_1D64_78BD_642F
    private static let multiplier: UInt64 = 0xE703_7ED1_A0B4_28DB

    static func of(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var hash = seed ^ UInt64(bytes.count)
        var offset = 0
        while offset + 8 <= bytes.count {
            hash = mix(hash ^ bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            offset += 8
        }
        var tail: UInt64 = 0
        for i in offset..<bytes.count { tail |= UInt64(bytes[i]) << (8 * UInt64(i - offset)) }
        return mix(mix(hash ^ tail ^ 0xFF) ^ multiplier)
    }

    private static func mix(_ value: UInt64) -> UInt64 {
        let product = value.multipliedFullWidth(by: multiplier)
        return product.high ^ product.low
    }
}

/// What decides whether a parse's body can serve as an `ExpositionSkeleton`, known whether its
/// samples were kept (`ParsedExposition.shape`) or handed on as they were read.
public struct ExpositionShape: Equatable, Sendable {
    public var samples = 0
    /// Samples that carried a timestamp of their own.
    public var stampedSamples = 0
    public var skippedLines = 0

    public init(samples: Int = 0, stampedSamples: Int = 0, skippedLines: Int = 0) {
        self.samples = samples
        self.stampedSamples = stampedSamples
        self.skippedLines = skippedLines
    }
}

extension ParsedExposition {
    public var shape: ExpositionShape {
        ExpositionShape(samples: samples.count, stampedSamples: samples.count { $0.timestampMillis != nil }, skippedLines: skippedLines)
    }
}
