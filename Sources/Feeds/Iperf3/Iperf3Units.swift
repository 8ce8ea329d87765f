/// Reads the amounts iperf3 prints through `unit_snprintf` (src/units.c): a "Bytes" label scales
/// by 1024 ("606 MBytes"), a "bits" label by 1000 ("2.54 Gbits"), and `-f` can put either label
/// in either column, so both are accepted everywhere.
enum Iperf3Units {
    /// The number of bytes in e.g. ("606", "MBytes") or ("2.54", "Gbits"); nil for anything else,
    /// including amounts no byte count holds (`inf`, `1e30 TBytes`).
    static func bytes(_ number: Substring, _ unit: Substring) -> Double? {
        guard let value = Double(number), value >= 0 else { return nil }
        let prefixes: [Character: Int] = ["K": 1, "M": 2, "G": 3, "T": 4]
        var label = unit
        var power = 0
        if let first = label.first, let p = prefixes[first] { power = p; label = label.dropFirst() }
        func scaled(_ base: Double) -> Double { (0..<power).reduce(value) { v, _ in v * base } }
        let bytes: Double
        switch label {
        case "Bytes": bytes = scaled(1024)
        case "bits": bytes = scaled(1000) / 8
        default: return nil
        }
        return bytes < 0x1p62 ? bytes : nil
    }

    /// Bits per second in e.g. ("2.54", "Gbits/sec").
    static func bitsPerSecond(_ number: Substring, _ unit: Substring) -> Double? {
        guard unit.hasSuffix("/sec") else { return nil }
        return bytes(number, unit.dropLast(4)).map { $0 * 8 }
    }
}
