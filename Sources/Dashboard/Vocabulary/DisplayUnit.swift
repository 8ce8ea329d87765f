/// How a number is shown. Values are always kept in base units (bytes, seconds, counts);
/// the unit says how to scale and label them.
public enum DisplayUnit: String, Sendable, CaseIterable {
    /// A byte rate shown as bits per second (×8): `1.23 Gb/s`.
    case bitsPerSecond = "bits/s"
    /// A byte rate shown as bytes per second: `154 MB/s`.
    case bytesPerSecond = "bytes/s"
    /// A byte count: `12.5 MB` (decimal prefixes, like the rates).
    case bytes
    /// Events per second: `41.0/s`, `0.21/s`.
    case perSecond = "1/s"
    /// A duration: `850 µs`, `12.7 ms`.
    case seconds = "s"
    /// A plain count or ratio.
    case count
    /// Inferred per series from its name, as Prometheus' naming conventions give it: `*_bytes`
    /// bytes, `*_seconds` seconds, their `*_total` counters' rates bytes/s and a ratio, other
    /// rates events/s, other gauges plain numbers.
    case auto

    /// The unit `auto` stands for, for a series named `name` shown as a rate or a value.
    public func resolved(forMetric name: String, rate: Bool) -> DisplayUnit {
        guard self == .auto else { return self }
        let base = name.hasSuffix("_total") ? String(name.dropLast(6)) : name
        switch (base.hasSuffix("_bytes"), base.hasSuffix("_seconds"), rate) {
        case (true, _, true): return .bytesPerSecond
        case (true, _, false): return .bytes
        case (_, true, true): return .count  // seconds per second: a share of time
        case (_, true, false): return .seconds
        case (_, _, true): return .perSecond
        default: return .count
        }
    }
}
