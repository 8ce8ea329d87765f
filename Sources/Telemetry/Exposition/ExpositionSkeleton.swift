#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A scrape's lines less its sample values: what the next scrape of the same exporter most
/// likely repeats byte for byte. An exporter writes the same families, series and labels in the
/// same order every scrape and only the numbers move, so a body whose every line matches
/// needs nothing parsed but its values: no names, labels or strings built, no family
/// resolved, no series looked up (reading bpagent's text was most of bptop's work per scrape).
///
/// Made only from a body that parsed without a skipped line and without sample timestamps;
/// `values(of:)` gives up (nil) at the first difference — a line added, removed or changed
/// outside its value, a value followed by anything (a timestamp), a negative value (whether it
/// is allowed depends on the family) or one that is not a number — and the body is then parsed
/// whole, as any other.
public struct ExpositionSkeleton: Sendable {
    /// One line of the body it was made from: `start..<keyEnd` must repeat exactly; a sample's
    /// value follows, up to the newline.
    private struct Line: Sendable {
        var start: Int32
        var keyEnd: Int32
        var isSample: Bool
        var terminated: Bool
    }

    private let body: [UInt8]
    private let lines: [Line]
    /// The samples `values(of:)` gives values for, in order: those of the body's parse.
    public let sampleCount: Int

    /// nil when the parse of `body` (`shape`) skipped a line or has a stamped sample, or the
    /// body is too large to index with 32 bits.
    public init?(body: [UInt8], shape: ExpositionShape) {
        guard shape.skippedLines == 0, shape.stampedSamples == 0, body.count < Int(Int32.max) else { return nil }
        var lines: [Line] = []
        var start = 0
        while start < body.count {
            var end = start
            while end < body.count, body[end] != UInt8(ascii: "\n") { end += 1 }
            lines.append(Self.line(body, start..<end, terminated: end < body.count))
            start = end + 1
        }
        guard lines.count(where: \.isSample) == shape.samples else { return nil }
        self.body = body
        self.lines = lines
        sampleCount = shape.samples
    }

    /// A sample line's key ends where its last blank-separated token (the value) begins; any
    /// other line (comment, blank, the unterminated rest) must repeat whole.
    private static func line(_ body: [UInt8], _ range: Range<Int>, terminated: Bool) -> Line {
        var first = range.lowerBound
        while first < range.upperBound, ByteCursor.isBlank(body[first]) { first += 1 }
        let whole = Line(start: Int32(range.lowerBound), keyEnd: Int32(range.upperBound), isSample: false, terminated: terminated)
        guard terminated, first < range.upperBound, body[first] != UInt8(ascii: "#") else { return whole }
        var valueStart = range.upperBound
        while valueStart > first, !ByteCursor.isBlank(body[valueStart - 1]) { valueStart -= 1 }
        return Line(start: Int32(range.lowerBound), keyEnd: Int32(valueStart), isSample: true, terminated: true)
    }

    /// The sample values of `new` when it repeats this skeleton's lines, else nil.
    public func values(of new: [UInt8]) -> [Double]? {
        var values: [Double] = []
        values.reserveCapacity(sampleCount)
        let matched = new.withUnsafeBufferPointer { new in
            body.withUnsafeBufferPointer { old in read(new, old: old, into: &values) }
        }
        return matched ? values : nil
    }

    private func read(_ new: UnsafeBufferPointer<UInt8>, old: UnsafeBufferPointer<UInt8>, into values: inout [Double]) -> Bool {
        var position = 0
        for line in lines {
            let key = Int(line.keyEnd - line.start)
            guard position + key <= new.count,
                  key == 0 || memcmp(new.baseAddress! + position, old.baseAddress! + Int(line.start), key) == 0 else { return false }
            position += key
            if line.isSample {
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
