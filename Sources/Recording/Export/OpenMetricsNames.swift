import Telemetry

/// The spellings OpenMetrics 1.0 needs: family names and types, numbers and timestamps.
enum OpenMetricsNames {
    static func isLegacy(_ name: String) -> Bool {
        guard let first = name.utf8.first, first == UInt8(ascii: "_") || first == UInt8(ascii: ":") || isLetter(first) else { return false }
        return name.utf8.allSatisfy { $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ":") || isLetter($0) || isDigit($0) }
    }

    static func isLegacyLabel(_ name: String) -> Bool {
        isLegacy(name) && !name.contains(":")
    }

    private static func isLetter(_ b: UInt8) -> Bool { (b | 0x20) >= UInt8(ascii: "a") && (b | 0x20) <= UInt8(ascii: "z") }
    private static func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }

    /// The `# TYPE` line's name and type. A counter family is named without `_total` when all its
    /// samples end in it (what OpenMetrics requires); one whose samples do not, and the types
    /// OpenMetrics spells differently, are `unknown` under the sample's own name.
    static func family(_ name: String, type: MetricType, sampleNames: [String]) -> (String, String) {
        switch type {
        case .counter:
            let base = name.hasSuffix("_total") ? String(name.dropLast(6)) : name
            return sampleNames.allSatisfy({ $0 == base + "_total" }) ? (base, "counter") : (name, "unknown")
        case .gauge: return (name, "gauge")
        case .histogram: return (name, "histogram")
        case .summary: return (name, "summary")
        case .untyped, .gaugehistogram: return (name, "unknown")
        }
    }

    /// Doubles as Go's ParseFloat reads them, exactly (Swift prints the shortest text that reads back).
    static func number(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Inf" : "+Inf" }
        return "\(value)"
    }

    /// Seconds since the epoch, to the microsecond bptop measures.
    static func timestamp(_ time: Double) -> String {
        let micros = Int64((time * 1e6).rounded())
        let fraction = String(micros % 1_000_000)
        return "\(micros / 1_000_000).\(String(repeating: "0", count: 6 - fraction.count))\(fraction)"
    }

    static func escapedHelp(_ help: String) -> String {
        var out = ""
        for c in help {
            switch c {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\"": out += "\\\""
            default: out.append(c)
            }
        }
        return out
    }
}
