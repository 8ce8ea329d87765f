/// How one `DisplayUnit` turns a base-unit value into `number prefix+suffix` text: which factor
/// converts it, which prefixes step it down, and how many decimals each step shows.
struct UnitScale: Sendable {
    /// Multiplies the base value first (×8 for bits, ×10⁹ to count seconds from nanoseconds).
    var factor: Double
    var base: Double
    /// The unprefixed number may grow up to this before a prefix is used (counts show `1234`).
    var firstLimit: Double
    var prefixes: [String]
    var separator: String
    var suffix: String
    /// Decimals for a scaled value at prefix index `step`.
    var decimals: @Sendable (_ step: Int, _ scaled: Double) -> Int
    /// Text for exactly zero when the general rule reads badly (`0` rather than `0.00 ns`).
    var zeroText: String? = nil

    /// Three significant digits, like iperf3 (`1.23`, `12.3`, `123`): every figure on a screen
    /// has the same precision, whatever its unit.
    static let threeDigits: @Sendable (Int, Double) -> Int = { _, v in v < 9.995 ? 2 : (v < 99.95 ? 1 : 0) }
    /// Whole numbers unprefixed (a byte count is exact), three digits once a prefix is used.
    static let wholeThenThreeDigits: @Sendable (Int, Double) -> Int = { step, v in step == 0 ? 0 : threeDigits(step, v) }

    static func of(_ unit: DisplayUnit) -> UnitScale {
        let si = ["", "K", "M", "G", "T", "P", "E"]
        switch unit {
        case .bitsPerSecond:
            return UnitScale(factor: 8, base: 1000, firstLimit: 1000, prefixes: si, separator: " ", suffix: "b/s",
                             decimals: threeDigits).withZero("0 b/s")
        case .bytesPerSecond:
            return UnitScale(factor: 1, base: 1000, firstLimit: 1000, prefixes: si, separator: " ", suffix: "B/s",
                             decimals: threeDigits).withZero("0 B/s")
        case .bytes:
            // Decimal prefixes, like the rates beside them (one unit family on a screen: 1.23 GB
            // moved at 147 MB/s, never GiB next to MB/s).
            return UnitScale(factor: 1, base: 1000, firstLimit: 1000, prefixes: si, separator: " ", suffix: "B",
                             decimals: wholeThenThreeDigits)
        case .perSecond:
            // Event rates are often fractions (124 events in 600 s): three digits keep 0.21/s visible.
            return UnitScale(factor: 1, base: 1000, firstLimit: 1000, prefixes: ["", "k", "M", "G", "T"],
                             separator: "", suffix: "/s", decimals: threeDigits).withZero("0/s")
        case .seconds:
            return UnitScale(factor: 1e9, base: 1000, firstLimit: 1000, prefixes: ["n", "µ", "m", ""],
                             separator: " ", suffix: "s", decimals: threeDigits).withZero("0 s")
        case .count, .auto:
            return UnitScale(factor: 1, base: 1000, firstLimit: 10000, prefixes: ["", "k", "M", "G", "T"],
                             separator: "", suffix: "") { step, v in
                step > 0 || v.rounded() != v ? threeDigits(step, v) : 0
            }
        }
    }

    private func withZero(_ text: String) -> UnitScale {
        var scale = self
        scale.zeroText = text
        return scale
    }

    /// `magnitude` (non-negative, finite, base units) as text.
    func text(_ magnitude: Double, trimZeros: Bool) -> String {
        if magnitude == 0, let zeroText { return zeroText }
        var scaled = magnitude * factor
        var step = 0
        var places = decimals(step, scaled)
        while step < prefixes.count - 1,
              DecimalText.rounded(scaled, decimals: places) >= (step == 0 ? firstLimit : base) {
            scaled /= base
            step += 1
            places = decimals(step, scaled)
        }
        let number = DecimalText.fixed(scaled, decimals: places, trimZeros: trimZeros)
        return number + separator + prefixes[step] + suffix
    }
}
