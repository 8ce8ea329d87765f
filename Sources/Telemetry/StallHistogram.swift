/// Bucket layout of `bpagent_stall_seconds`.
///
/// A 1-2-5 series from 1 µs to 10 s with no decade gaps: stalls seen in the field run from
/// single retries of a few microseconds through spins of hundreds of microseconds to waits of
/// seconds, and a quantile is only as good as the bucket it falls in. Consecutive bounds differ
/// by at most a factor of 2.5, so a quantile interpolated inside its bucket (as
/// `histogram_quantile` does) is within a factor of 2.5 of the true value: never more than 2.5×
/// the true stall, never less than 0.4× of it. Above 10 s only +Inf remains; readers clamp a
/// quantile to the exact `bpagent_stall_max_seconds`.
public enum StallBuckets {
    /// Upper bounds in microseconds, ascending; an implicit +Inf bucket follows.
    public static let upperBoundsMicros: [UInt64] = [
        1, 2, 5, 10, 20, 50, 100, 200, 500,
        1_000, 2_000, 5_000, 10_000, 20_000, 50_000, 100_000, 200_000, 500_000,
        1_000_000, 2_000_000, 5_000_000, 10_000_000,
    ]
    /// Number of buckets including +Inf.
    public static let count = upperBoundsMicros.count + 1

    /// Index of the bucket that holds a stall of `micros` microseconds.
    @inlinable
    public static func index(forMicros micros: UInt64) -> Int {
        var i = 0
        for bound in upperBoundsMicros {
            if micros <= bound { return i }
            i += 1
        }
        return i
    }
}
