/// Fixed-point number text without Foundation (the Dashboard module stays stdlib-only).
enum DecimalText {
    static func powerOfTen(_ exponent: Int) -> Double {
        var result = 1.0
        for _ in 0..<max(0, exponent) { result *= 10 }
        return result
    }

    /// `value` rounded to `decimals` places, as it will be printed.
    static func rounded(_ value: Double, decimals: Int) -> Double {
        let factor = powerOfTen(decimals)
        return (value * factor).rounded() / factor
    }

    /// A non-negative finite `value` with exactly `decimals` places; `trimZeros` drops
    /// trailing zeros (and the point) for axis ticks, where `2.50` reads worse than `2.5`.
    static func fixed(_ value: Double, decimals: Int, trimZeros: Bool = false) -> String {
        let factor = powerOfTen(decimals)
        guard let scaled = Int64(exactly: (value * factor).rounded()) else { return "\(value)" }
        let whole = String(scaled / Int64(factor))
        guard decimals > 0 else { return whole }
        var fraction = String(scaled % Int64(factor))
        fraction = String(repeating: "0", count: decimals - fraction.count) + fraction
        if trimZeros {
            while fraction.last == "0" { fraction.removeLast() }
            if fraction.isEmpty { return whole }
        }
        return whole + "." + fraction
    }
}
