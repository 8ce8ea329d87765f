/// Bucket layout of `bpagent_stall_seconds`.
///
/// The bounds span what has been seen in the field: single retries of a few microseconds,
/// spins of hundreds of microseconds, and stalls of tens of milliseconds or worse.
public enum StallBuckets {
    /// Upper bounds in microseconds, ascending; an implicit +Inf bucket follows.
    public static let upperBoundsMicros: [UInt64] = [
        5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 50_000, 100_000, 1_000_000,
    ]
    /// Number of buckets including +Inf.
    public static let count = 15

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
