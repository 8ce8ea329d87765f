/// Wall-clock and duration text for the header, without Foundation.
public enum ClockText {
    /// `HH:MM:SS` in UTC for seconds since the epoch: the default for "disconnected since",
    /// which the executable may replace with local time.
    public static func utcTimeOfDay(_ epochSeconds: Double) -> String {
        // Beyond ±10¹⁵ s the day arithmetic below would lose all precision (and overflow Int).
        guard epochSeconds.magnitude < 1e15 else { return "--:--:--" }
        let day = 86_400.0
        let seconds = Int(epochSeconds - (epochSeconds / day).rounded(.down) * day)
        return [seconds / 3600, seconds / 60 % 60, seconds % 60].map(twoDigits).joined(separator: ":")
    }

    /// Agent uptime in the two largest units, like `uptime` and htop: `42s`, `5m07s`, `1h02m`, `3d04h`.
    static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "?" }
        let total = Int(min(seconds, 1e12))
        if total < 60 { return "\(total)s" }
        if total < 3600 { return "\(total / 60)m" + twoDigits(total % 60) + "s" }
        if total < 86_400 { return "\(total / 3600)h" + twoDigits(total / 60 % 60) + "m" }
        return "\(total / 86_400)d" + twoDigits(total / 3600 % 24) + "h"
    }

    private static func twoDigits(_ value: Int) -> String {
        value < 10 ? "0\(value)" : "\(value)"
    }
}
