/// The units a threshold's value may carry, per kind of figure, as factors to base units.
/// Rates follow iperf3 and bptop (`Gbit/s`, `Gb/s`, `MB/s`; decimal prefixes, binary with `i`).
enum ThresholdUnits {
    static func factor(_ unit: String, for kind: RunMetric.Kind, regression: Bool) -> Double? {
        if regression { return unit.isEmpty ? 1 : (unit == "%" ? 0.01 : nil) }
        if unit.isEmpty { return 1 }
        switch kind {
        case .seconds: return seconds[unit]
        case .byteRate: return byteRate(unit)
        case .bytes: return byteCount(unit)
        case .perSecond: return unit == "/s" || unit == "1/s" ? 1 : nil
        case .count: return nil
        }
    }

    /// The units accepted, for the error message.
    static func accepted(for kind: RunMetric.Kind, regression: Bool) -> String {
        if regression { return "% or none (a fraction)" }
        switch kind {
        case .seconds: return "ns, us, µs, ms, s"
        case .byteRate: return "bit/s, Kbit/s, Mbit/s, Gbit/s, Tbit/s (or Kb/s …), B/s, KB/s, MB/s, GB/s, KiB/s, MiB/s, GiB/s"
        case .bytes: return "B, KB, MB, GB, TB, KiB, MiB, GiB, TiB"
        case .perSecond: return "/s"
        case .count: return "none (a count)"
        }
    }

    private static let seconds: [String: Double] = ["ns": 1e-9, "us": 1e-6, "µs": 1e-6, "ms": 1e-3, "s": 1]

    private static let decimal: [String: Double] = ["": 1, "k": 1e3, "K": 1e3, "M": 1e6, "G": 1e9, "T": 1e12]
    private static let binary: [String: Double] = ["Ki": 1024, "Mi": 1_048_576, "Gi": 1_073_741_824, "Ti": 1_099_511_627_776]

    private static func prefix(_ text: Substring) -> Double? {
        decimal[String(text)] ?? binary[String(text)]
    }

    private static func byteRate(_ unit: String) -> Double? {
        for (suffix, perUnit) in [("bit/s", 1.0 / 8), ("b/s", 1.0 / 8), ("bps", 1.0 / 8), ("B/s", 1.0)] where unit.hasSuffix(suffix) {
            if let p = prefix(unit.dropLast(suffix.count)) { return p * perUnit }
        }
        return nil
    }

    private static func byteCount(_ unit: String) -> Double? {
        guard unit.hasSuffix("B") else { return nil }
        return prefix(unit.dropLast())
    }
}
