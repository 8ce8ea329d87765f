/// Buffer sizes as people type them: `65536`, `64k`, `1m`.
public enum ByteSize {
    /// Bytes, between 4 KiB and 64 MiB (a smaller buffer relays nothing useful, a larger one
    /// only hides backpressure); the error names `option`.
    public static func parse(_ text: String, option: String = "--buffer-size") throws(InvalidByteSize) -> Int {
        let lower = text.lowercased()
        let (digits, scale) = lower.hasSuffix("k") ? (lower.dropLast(), 1024)
            : lower.hasSuffix("m") ? (lower.dropLast(), 1024 * 1024) : (Substring(lower), 1)
        guard let n = Int(digits), n <= Int.max / scale, n * scale >= 4096, n * scale <= 64 << 20 else {
            throw InvalidByteSize(message: "invalid \(option) \"\(text)\": expected 4k to 64m")
        }
        return n * scale
    }
}

public struct InvalidByteSize: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
