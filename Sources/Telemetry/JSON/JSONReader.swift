/// A JSON value read by `JSONReader`. bptop reads JSON in two places (iperf3's `--json` and
/// `--json-stream` output, and dashboard files), and this small reader serves both. Foundation is
/// linked anyway (through swift-argument-parser), so the reader was measured against it
/// (`Scripts/bench-json`, on the shipped dashboards and iperf3 fixtures): Foundation's
/// `JSONDecoder` into the same tree took 9.2× as long, `JSONSerialization` 2.3× (2026-12, 2 shared
/// cores). A followed iperf3 `--json-stream` log is read line by line for hours, so it stays. Numbers are Doubles, exact for integers up to 2^53 (byte counts up to 9 PB).
public enum JSONValue: Equatable, Sendable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public subscript(key: String) -> JSONValue? {
        if case .object(let members) = self { return members[key] }
        return nil
    }

    public var double: Double? { if case .number(let n) = self { return n }; return nil }
    public var int: Int? { double.flatMap { Int(exactly: $0.rounded()) } }
    public var int64: Int64? { double.flatMap { Int64(exactly: $0.rounded()) } }
    public var string: String? { if case .string(let s) = self { return s }; return nil }
    public var bool: Bool? { if case .bool(let b) = self { return b }; return nil }
    public var array: [JSONValue] { if case .array(let a) = self { return a }; return [] }
}

/// A recursive-descent reader of one JSON text (RFC 8259). Returns nil for anything malformed,
/// including trailing bytes, and for nesting deeper than `maxDepth`, so bad input is never fatal.
public struct JSONSyntaxError: Error, Equatable, Sendable, CustomStringConvertible {
    public let line: Int
    public let column: Int
    public var description: String { "line \(line), column \(column)" }
}

public struct JSONReader {
    static let maxDepth = 64
    private let bytes: [UInt8]
    private var at = 0

    public static func parse(_ bytes: some Collection<UInt8>) -> JSONValue? {
        try? read(bytes).get()
    }

    /// The value, or where reading stopped making sense (for messages a user can act on).
    public static func read(_ bytes: some Collection<UInt8>) -> Result<JSONValue, JSONSyntaxError> {
        var reader = JSONReader(bytes: Array(bytes))
        if let value = reader.value(depth: 0) {
            reader.skipSpace()
            if reader.at == reader.bytes.count { return .success(value) }
        }
        let upTo = reader.bytes.prefix(min(reader.at, reader.bytes.count))
        let line = upTo.reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
        let column = upTo.count - (upTo.lastIndex(of: 0x0A).map { $0 + 1 } ?? 0) + 1
        return .failure(JSONSyntaxError(line: line, column: column))
    }

    private init(bytes: [UInt8]) { self.bytes = bytes }

    private var peek: UInt8? { at < bytes.count ? bytes[at] : nil }

    private mutating func skipSpace() {
        while let b = peek, b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 { at += 1 }
    }

    private mutating func take(_ literal: StaticString) -> Bool {
        let utf8 = UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount)
        guard bytes.count - at >= utf8.count, bytes[at..<at + utf8.count].elementsEqual(utf8) else { return false }
        at += utf8.count
        return true
    }

    private mutating func value(depth: Int) -> JSONValue? {
        guard depth < Self.maxDepth else { return nil }
        skipSpace()
        switch peek {
        case UInt8(ascii: "{"): return object(depth: depth)
        case UInt8(ascii: "["): return array(depth: depth)
        case UInt8(ascii: "\""): return string().map(JSONValue.string)
        case UInt8(ascii: "t"): return take("true") ? .bool(true) : nil
        case UInt8(ascii: "f"): return take("false") ? .bool(false) : nil
        case UInt8(ascii: "n"): return take("null") ? .null : nil
        default: return number()
        }
    }

    private mutating func object(depth: Int) -> JSONValue? {
        at += 1
        var members: [String: JSONValue] = [:]
        skipSpace()
        if take("}") { return .object(members) }
        while true {
            skipSpace()
            guard peek == UInt8(ascii: "\""), let key = string() else { return nil }
            skipSpace()
            guard take(":"), let value = value(depth: depth + 1) else { return nil }
            members[key] = value
            skipSpace()
            if take("}") { return .object(members) }
            guard take(",") else { return nil }
        }
    }

    private mutating func array(depth: Int) -> JSONValue? {
        at += 1
        var elements: [JSONValue] = []
        skipSpace()
        if take("]") { return .array(elements) }
        while true {
            guard let element = value(depth: depth + 1) else { return nil }
            elements.append(element)
            skipSpace()
            if take("]") { return .array(elements) }
            guard take(",") else { return nil }
        }
    }

    private mutating func number() -> JSONValue? {
        let start = at
        while let b = peek, b == UInt8(ascii: "-") || b == UInt8(ascii: "+") || b == UInt8(ascii: ".")
            || b == UInt8(ascii: "e") || b == UInt8(ascii: "E") || (0x30...0x39).contains(b) { at += 1 }
        guard at > start, bytes[start] != UInt8(ascii: "+"),
              let n = Double(String(decoding: bytes[start..<at], as: UTF8.self)), n.isFinite else { return nil }
        return .number(n)
    }

    private mutating func string() -> String? {
        at += 1
        var utf8: [UInt8] = []
        while let b = peek {
            at += 1
            switch b {
            case UInt8(ascii: "\""): return String(decoding: utf8, as: UTF8.self)
            case UInt8(ascii: "\\"): guard escape(into: &utf8) else { return nil }
            case 0..<0x20: return nil
            default: utf8.append(b)
            }
        }
        return nil
    }

    private mutating func escape(into utf8: inout [UInt8]) -> Bool {
        guard let e = peek else { return false }
        at += 1
        if let plain = Self.escapes[e] { utf8.append(plain); return true }
        guard e == UInt8(ascii: "u"), var scalar = hex4() else { return false }
        if (0xD800..<0xDC00).contains(scalar), take("\\u"), let low = hex4(), (0xDC00..<0xE000).contains(low) {
            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
        }
        utf8.append(contentsOf: Array(String(Unicode.Scalar(scalar) ?? "\u{FFFD}").utf8))
        return true
    }

    /// \" \\ \/ \b \f \n \r \t
    private static let escapes: [UInt8: UInt8] = [0x22: 0x22, 0x5C: 0x5C, 0x2F: 0x2F, 0x62: 0x08, 0x66: 0x0C, 0x6E: 0x0A, 0x72: 0x0D, 0x74: 0x09]

    private mutating func hex4() -> UInt32? {
        guard bytes.count - at >= 4, let v = UInt32(String(decoding: bytes[at..<at + 4], as: UTF8.self), radix: 16) else { return nil }
        at += 4
        return v
    }
}
