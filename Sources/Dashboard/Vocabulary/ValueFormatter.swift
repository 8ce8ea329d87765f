/// Short text for numbers in base units, the same in the dashboard, its axes and `--once`.
public enum ValueFormatter {
    /// `nil` (no data) is `–`, distinct from a measured `0`; so is a value that is not a
    /// number (NaN, ±Inf from an exporter): a figure that cannot be shown is never shown as one.
    public static func string(_ value: Double?, unit: DisplayUnit) -> String {
        guard let value, value.isFinite else { return "–" }
        return signed(value) { UnitScale.of(unit).text($0, trimZeros: false) }
    }

    /// An axis label: zero is a bare `0` and trailing zeros go (`2.5 Gb/s`, `1 ms`).
    static func tick(_ value: Double, unit: DisplayUnit) -> String {
        if value == 0 { return "0" }
        return special(value) ?? signed(value) { UnitScale.of(unit).text($0, trimZeros: true) }
    }

    private static func special(_ value: Double) -> String? {
        value.isFinite ? nil : "–"
    }

    private static func signed(_ value: Double, _ magnitude: (Double) -> String) -> String {
        value < 0 ? "-" + magnitude(-value) : magnitude(value)
    }
}
