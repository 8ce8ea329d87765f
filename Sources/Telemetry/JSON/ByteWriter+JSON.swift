/// The primitives of every JSON bptop and bpagent print: string escaping and the number
/// format. `/metrics.json` writes with them directly (its shape is fixed and it is rendered
/// per scrape); reports build a `JSONNode` that renders through them.
extension ByteWriter {
    /// Appends a JSON string literal, quotes included: `"` and `\` escaped, control characters
    /// as `\n`, `\r`, `\t` or `\u00XX`. (A Swift `String` holds valid Unicode only; bytes that
    /// were not valid UTF-8 became U+FFFD when the string was made.)
    public mutating func append(jsonString s: String) {
        append(byte: UInt8(ascii: "\""))
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "\\"): append("\\\\")
            case UInt8(ascii: "\""): append("\\\"")
            case UInt8(ascii: "\n"): append("\\n")
            case UInt8(ascii: "\r"): append("\\r")
            case UInt8(ascii: "\t"): append("\\t")
            case 0..<0x20:
                append("\\u00")
                let hex: StaticString = "0123456789abcdef"
                hex.withUTF8Buffer { h in
                    append(byte: h[Int(b >> 4)])
                    append(byte: h[Int(b & 0xf)])
                }
            default: append(byte: b)
            }
        }
        append(byte: UInt8(ascii: "\""))
    }

    /// Appends a number as JSON writes it: whole numbers without a fraction (`1000`, not
    /// `1000.0`), others in Swift's shortest round-trip form; NaN and ±infinity (which JSON
    /// cannot express) as `null`.
    public mutating func append(jsonNumber value: Double) {
        guard value.isFinite else { return append("null") }
        append(string: value.jsonText)
    }
}

extension Double {
    /// As JSON writes a finite number: whole numbers without a fraction ("1000", not "1000.0").
    public var jsonText: String {
        self == rounded() && abs(self) < 1e15 ? String(Int64(self)) : "\(self)"
    }
}
