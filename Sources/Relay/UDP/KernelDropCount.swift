/// A socket's count of datagrams the kernel dropped (its receive queue was full), turned into
/// increments for `DirectionCounters.recordKernelDrops`.
///
/// The kernel keeps one 32-bit count per socket and reports it two ways: attached to each
/// datagram received once SO_RXQ_OVFL is on (the count when that datagram was queued, so it
/// costs nothing extra per read), and on demand with SO_MEMINFO (for drops after the last
/// datagram read). Readings can arrive older than one already seen; they add nothing.
struct KernelDropCount {
    private var last: UInt32 = 0

    /// The drops since the newest reading so far; 0 when `reading` is not newer.
    mutating func advance(to reading: UInt32) -> UInt64 {
        let delta = reading &- last
        guard delta != 0, delta < 1 << 31 else { return 0 }
        last = reading
        return UInt64(delta)
    }
}
