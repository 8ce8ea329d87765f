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
}
