/// Y-axis ticks on round numbers (1, 2 or 5 × 10ⁿ in display units), from 0 to a top at or
/// above the largest value, so labels read like `0, 500 Mb/s, 1 Gb/s`.
struct AxisTicks: Equatable, Sendable {
    /// Tick values in base units, ascending from 0; the last is the top of the axis.
    var values: [Double]
    var top: Double { values.last ?? 1 }

    /// - Parameters:
    ///   - maximum: largest value in base units (nil or ≤ 0 when there is nothing to show).
    ///   - intervals: how many steps at most between 0 and the top.
    ///   - factor: base → display units (8 for bits), so the round numbers are the ones shown.
    init(maximum: Double?, intervals: Int, factor: Double) {
        // With nothing to scale, an axis of one display unit keeps zeros on the bottom row.
        let shown = max((maximum ?? 0) * factor, 0)
        let peak = shown > 0 && shown.isFinite ? shown : 1
        let step = Self.roundUp(peak / Double(max(1, intervals)))
        // The tolerance keeps float noise (0.3 / 0.1 = 2.9999…) from adding an empty step.
        let count = Int((peak / step - 1e-9).rounded(.up))
        values = (0...max(1, count)).map { Double($0) * step / factor }
    }

    /// The smallest 1, 2 or 5 × 10ⁿ at or above `value` (> 0).
    static func roundUp(_ value: Double) -> Double {
        var power = 1.0
        while power * 10 <= value { power *= 10 }
        while power > value { power /= 10 }
        for multiple in [1.0, 2, 5] where multiple * power >= value { return multiple * power }
        return 10 * power
    }
}
