/// Short human text for a number in a unit ("1.23 Gb/s", "850 µs"), for chart notes and the
/// `--once` text table; three significant digits is what fits a table cell.
enum ValueFormat {
    static func format(_ value: Double?, _ unit: DisplayUnit) -> String {
        guard let value, value.isFinite else { return "–" }
        switch unit {
        case .bitsPerSecond: return scaled(value * 8, base: 1000, prefixes: ["", "k", "M", "G", "T"]) + "b/s"
        case .bytesPerSecond: return scaled(value, base: 1000, prefixes: ["", "k", "M", "G", "T"]) + "B/s"
        case .bytes: return scaled(value, base: 1024, prefixes: ["", "Ki", "Mi", "Gi", "Ti"]) + "B"
        case .perSecond: return digits(value) + "/s"
        case .count: return digits(value)
        case .seconds:
            if value == 0 { return "0 s" }
            for (factor, suffix) in [(1.0, "s"), (1e3, "ms"), (1e6, "µs")] where abs(value) * factor >= 1 {
                return digits(value * factor) + " " + suffix
            }
            return digits(value * 1e9) + " ns"
        }
    }

    private static func scaled(_ value: Double, base: Double, prefixes: [String]) -> String {
        var v = value
        var i = 0
        while abs(v) >= base && i < prefixes.count - 1 {
            v /= base
            i += 1
        }
        return digits(v) + " " + prefixes[i]
    }

    /// Three significant digits without Foundation: 0.123, 1.23, 12.3, 123, 1234; whole
    /// numbers without decimals ("2/s", "0 B").
    static func digits(_ v: Double) -> String {
        let decimals = abs(v) >= 100 || v == v.rounded() ? 0 : abs(v) >= 10 ? 1 : abs(v) >= 1 ? 2 : 3
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let rounded = (v * scale).rounded() / scale
        guard decimals > 0 else { return String(Int(rounded)) }
        let whole = Int(abs(rounded))
        let fraction = Int((abs(rounded) - Double(whole)) * scale + 0.5)
        let fractionText = String(fraction)
        return (rounded < 0 ? "-" : "") + "\(whole)." + String(repeating: "0", count: decimals - fractionText.count) + fractionText
    }
}
