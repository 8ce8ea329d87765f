/// An append-only byte buffer with the few formatting primitives the exposition writers need.
///
/// Writers render tens of thousands of lines per scrape, so this avoids `String`
/// interpolation and formats integers straight into the buffer.
public struct ByteWriter: Sendable {
    public private(set) var bytes: [UInt8] = []

    public init(capacity: Int = 4096) {
        bytes.reserveCapacity(capacity)
    }

    public mutating func append(_ s: StaticString) {
        s.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    public mutating func append(_ s: String) {
        var s = s
        s.withUTF8 { bytes.append(contentsOf: $0) }
    }

    public mutating func append(byte: UInt8) {
        bytes.append(byte)
    }

    public mutating func append(contentsOf other: [UInt8]) {
        bytes.append(contentsOf: other)
    }

    /// Appends `value` in decimal.
    public mutating func append(decimal value: UInt64) {
        if value < 10 {
            bytes.append(UInt8(truncatingIfNeeded: value) &+ 48)
            return
        }
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var v = value
        var n = 0
        withUnsafeMutableBytes(of: &digits) { buf in
            while v > 0 {
                buf[19 - n] = UInt8(truncatingIfNeeded: v % 10) &+ 48
                v /= 10
                n += 1
            }
            bytes.append(contentsOf: buf[(20 - n)...])
        }
    }

    /// Appends microseconds as seconds with up to six decimals ("12.0007", "0.000005", "3").
    public mutating func append(microsAsSeconds micros: UInt64) {
        append(decimal: micros / 1_000_000)
        var frac = micros % 1_000_000
        guard frac != 0 else { return }
        bytes.append(UInt8(ascii: "."))
        var width = 6
        while frac % 10 == 0 { frac /= 10; width -= 1 }
        var scale: UInt64 = 1
        for _ in 1..<width { scale *= 10 }
        while scale > 0 {
            bytes.append(UInt8(truncatingIfNeeded: (frac / scale) % 10) &+ 48)
            scale /= 10
        }
    }

    /// Appends a Prometheus label value with `\`, `"` and newline escaped.
    public mutating func append(labelValue s: String) {
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "\\"): append("\\\\")
            case UInt8(ascii: "\""): append("\\\"")
            case UInt8(ascii: "\n"): append("\\n")
            default: bytes.append(b)
            }
        }
    }

    /// Appends a JSON string literal, quotes included.
    public mutating func append(jsonString s: String) {
        bytes.append(UInt8(ascii: "\""))
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
                    bytes.append(h[Int(b >> 4)])
                    bytes.append(h[Int(b & 0xf)])
                }
            default: bytes.append(b)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
