/// Why a line of an exposition was skipped.
struct Malformed: Error, CustomStringConvertible {
    let reason: StaticString

    init(_ reason: StaticString) {
        self.reason = reason
    }

    var description: String { reason.description }
}

/// A read position inside one line of an exposition. Every read checks `end`, so a line
/// cut anywhere is reported as malformed rather than read past.
struct ByteCursor {
    let bytes: UnsafeBufferPointer<UInt8>
    private(set) var position: Int
    let end: Int

    /// A cursor over `line` without its leading blanks and its trailing blanks and `\r`.
    init(_ bytes: UnsafeBufferPointer<UInt8>, line: Range<Int>) {
        self.bytes = bytes
        var start = line.lowerBound
        var end = line.upperBound
        while start < end, Self.isBlank(bytes[start]) { start += 1 }
        while end > start, Self.isBlank(bytes[end - 1]) || bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        self.position = start
        self.end = end
    }

    var isAtEnd: Bool { position >= end }

    var isAtBlank: Bool { position < end && Self.isBlank(bytes[position]) }

    func isAt(_ byte: UInt8) -> Bool { position < end && bytes[position] == byte }

    /// Consumes `byte` if it is next.
    mutating func take(_ byte: UInt8) -> Bool {
        guard isAt(byte) else { return false }
        position += 1
        return true
    }

    mutating func skipBlanks() {
        while isAtBlank { position += 1 }
    }

    /// Consumes everything up to the next blank or the end of the line.
    mutating func token() -> Range<Int> {
        let start = position
        while position < end, !Self.isBlank(bytes[position]) { position += 1 }
        return start..<position
    }

    /// The rest of the line.
    mutating func rest() -> Range<Int> {
        defer { position = end }
        return position..<end
    }

    /// Consumes a metric name, `[a-zA-Z_:][a-zA-Z0-9_:]*`; empty if none starts here.
    mutating func metricName() -> Range<Int> {
        name(allowingColons: true)
    }

    /// Consumes a label name, `[a-zA-Z_][a-zA-Z0-9_]*`; empty if none starts here.
    mutating func labelName() -> Range<Int> {
        name(allowingColons: false)
    }

    /// Reads a label value whose opening quote was consumed, through its closing quote.
    mutating func quotedValue(scratch: inout [UInt8]) throws(Malformed) -> String {
        let start = position
        var hasEscapes = false
        while position < end {
            switch bytes[position] {
            case UInt8(ascii: "\""):
                let raw = slice(start..<position)
                position += 1
                let value = hasEscapes
                    ? try Self.unescape(raw, labelValue: true, into: &scratch).withUnsafeBufferPointer(Self.validString)
                    : Self.validString(raw)
                guard let value else { throw Malformed("label value is not valid UTF-8") }
                return value
            case UInt8(ascii: "\\"):
                hasEscapes = true
                position += 2
            default:
                position += 1
            }
        }
        throw Malformed("unterminated label value")
    }

    func slice(_ range: Range<Int>) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: bytes[range])
    }

    /// Whether the bytes in `range` spell `word`.
    func bytes(_ range: Range<Int>, equal word: StaticString) -> Bool {
        word.withUTF8Buffer { $0.elementsEqual(slice(range)) }
    }

    /// Decodes the escapes of the format: `\\` and `\n` everywhere, and `\"` in label
    /// values. A label value with any other escape is malformed, because its series could
    /// not be named reliably; help text is only shown, so it keeps such a pair as written.
    static func unescape(_ raw: UnsafeBufferPointer<UInt8>, labelValue: Bool,
                         into scratch: inout [UInt8]) throws(Malformed) -> [UInt8] {
        scratch.removeAll(keepingCapacity: true)
        var i = 0
        while i < raw.count {
            let b = raw[i]
            i += 1
            guard b == UInt8(ascii: "\\"), i < raw.count else {
                scratch.append(b)
                continue
            }
            switch raw[i] {
            case UInt8(ascii: "\\"): scratch.append(UInt8(ascii: "\\"))
            case UInt8(ascii: "n"): scratch.append(UInt8(ascii: "\n"))
            case UInt8(ascii: "\"") where labelValue: scratch.append(UInt8(ascii: "\""))
            default:
                guard !labelValue else { throw Malformed("invalid escape sequence in label value") }
                scratch.append(b)
                scratch.append(raw[i])
            }
            i += 1
        }
        return scratch
    }

    private mutating func name(allowingColons: Bool) -> Range<Int> {
        let start = position
        while position < end {
            let b = bytes[position]
            let letter = (b | 0x20) >= UInt8(ascii: "a") && (b | 0x20) <= UInt8(ascii: "z")
            let digit = b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")
            guard letter || b == UInt8(ascii: "_") || (allowingColons && b == UInt8(ascii: ":"))
                    || (digit && position > start) else { break }
            position += 1
        }
        return start..<position
    }

    /// The bytes as a string if they are valid UTF-8. Label values are almost always ASCII,
    /// which skips the generic (and much slower) validating initializer.
    private static func validString(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        bytes.allSatisfy { $0 < 0x80 } ? String(decoding: bytes, as: UTF8.self) : String(validating: bytes, as: UTF8.self)
    }

    private static func isBlank(_ b: UInt8) -> Bool {
        b == UInt8(ascii: " ") || b == UInt8(ascii: "\t")
    }
}
