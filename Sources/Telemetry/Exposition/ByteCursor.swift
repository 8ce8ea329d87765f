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

    /// What a quoted string on a line is, for the reason a bad one gives.
    enum Quoted {
        case labelValue, name

        var unterminated: Malformed {
            self == .labelValue ? Malformed("unterminated label value") : Malformed("unterminated quoted name")
        }
        var badEscape: Malformed {
            self == .labelValue ? Malformed("invalid escape sequence in label value") : Malformed("invalid escape sequence in quoted name")
        }
        var notUTF8: Malformed {
            self == .labelValue ? Malformed("label value is not valid UTF-8") : Malformed("quoted name is not valid UTF-8")
        }
    }

    /// Reads a quoted string whose opening quote was consumed, through its closing quote: a
    /// label value, or a metric or label name outside `[a-zA-Z_:][a-zA-Z0-9_:]*`, which the
    /// format quotes the same way (`{"my.metric","label.name"="value"}`).
    mutating func quoted(_ kind: Quoted, scratch: inout [UInt8]) throws(Malformed) -> String {
        let start = position
        var hasEscapes = false
        while position < end {
            switch bytes[position] {
            case UInt8(ascii: "\""):
                let raw = slice(start..<position)
                position += 1
                let value = hasEscapes
                    ? try Self.unescape(raw, strict: kind.badEscape, into: &scratch).withUnsafeBufferPointer(Self.validString)
                    : Self.validString(raw)
                guard let value else { throw kind.notUTF8 }
                return value
            case UInt8(ascii: "\\"):
                hasEscapes = true
                position = min(position + 2, end)
            default:
                position += 1
            }
        }
        throw kind.unterminated
    }

    func slice(_ range: Range<Int>) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: bytes[range])
    }

    /// Whether the bytes in `range` spell `word`.
    func bytes(_ range: Range<Int>, equal word: StaticString) -> Bool {
        word.withUTF8Buffer { $0.elementsEqual(slice(range)) }
    }

    /// Decodes the escapes of the format: `\\`, `\n` and `\"`. A quoted string with any other
    /// escape is malformed (`strict` says why), because its series could not be named
    /// reliably; help text (`strict` nil) is only shown, so it keeps such a pair as written.
    static func unescape(_ raw: UnsafeBufferPointer<UInt8>, strict: Malformed?,
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
            case UInt8(ascii: "\""): scratch.append(UInt8(ascii: "\""))
            default:
                if let strict { throw strict }
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

    static func isBlank(_ b: UInt8) -> Bool {
        b == UInt8(ascii: " ") || b == UInt8(ascii: "\t")
    }
}
