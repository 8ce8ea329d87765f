import Synchronization

/// The counters of one direction (`c2s` or `s2c`) of one stream.
///
/// Written only by the relay thread that owns the stream, read by exporters at any time.
/// Nothing here locks or allocates: the hot path touches `bytes` and `writes` once per
/// successful write; everything else is touched only when a write hits a full buffer.
public final class DirectionCounters: Sendable {
    public let bytes = Atomic<UInt64>(0)
    public let writes = Atomic<UInt64>(0)
    /// Frames (datagram modes) and their bytes taken from the source; 0 for byte streams.
    /// Frames received = writes + drops, exactly, once nothing is queued. Next to `bytes` and
    /// `writes` (stored in this order), so a relayed frame's four counters share a cache line.
    public let framesReceived = Atomic<UInt64>(0)
    public let bytesReceived = Atomic<UInt64>(0)
    /// Buffer-full events by the errno of the attempt that started them.
    public let bufferFull: InlineArray<2, Atomic<UInt64>> = InlineArray { _ in Atomic<UInt64>(0) }
    /// Retries by the errno of the failed attempt that made them necessary.
    public let retries: InlineArray<2, Atomic<UInt64>> = InlineArray { _ in Atomic<UInt64>(0) }
    public let drops: InlineArray<5, Atomic<UInt64>> = InlineArray { _ in Atomic<UInt64>(0) }
    public let dropBytes: InlineArray<5, Atomic<UInt64>> = InlineArray { _ in Atomic<UInt64>(0) }
    /// Datagrams the kernel dropped before the agent read them: its socket's receive queue
    /// was full (UDP relay; `SO_RXQ_OVFL`).
    public let kernelDrops = Atomic<UInt64>(0)
    /// Frames whose headers could not all be parsed, by `FrameDefect`.
    public let defectiveFrames: InlineArray<2, Atomic<UInt64>> = InlineArray { _ in Atomic<UInt64>(0) }
    /// Microseconds a buffer-full event held the writer, by `RetryHow`.
    public let retryMicros: InlineArray<3, Atomic<UInt64>> = InlineArray { _ in Atomic<UInt64>(0) }
    /// `wait` episodes that ended in a write, by `WaitRecovery`.
    public let waitRecoveries: InlineArray<2, Atomic<UInt64>> = InlineArray { _ in Atomic<UInt64>(0) }
    /// Per-bucket (not cumulative) stall counts; see `StallBuckets`.
    public let stallBuckets: InlineArray<23, Atomic<UInt64>> = InlineArray { _ in Atomic<UInt64>(0) }
    public let stallSumMicros = Atomic<UInt64>(0)
    public let stallMaxMicros = Atomic<UInt64>(0)
    public let retriesPerEventMax = Atomic<UInt64>(0)
    public let queuedBytes = Atomic<UInt64>(0)

    public init() {}

    /// A successful write of `count` bytes reached the destination.
    ///
    /// The `#if !BPAGENT_NO_COUNTING` in this and the other record* methods exists only for
    /// the benchmark (`Scripts/bench-relay`): a build with `-Xswiftc -DBPAGENT_NO_COUNTING`
    /// compiles counting out so its throughput cost can be measured. Never ship such a build.
    @inlinable
    public func recordWrite(bytes count: Int) {
        #if !BPAGENT_NO_COUNTING
        bytes.singleWriterAdd(UInt64(count))
        writes.singleWriterAdd(1)
        #endif
    }

    /// A write attempt failed with a full buffer and was not part of an ongoing event.
    @inlinable
    public func recordBufferFull(_ cause: BufferFullCause) {
        #if !BPAGENT_NO_COUNTING
        bufferFull[cause.rawValue].singleWriterAdd(1)
        #endif
    }

    /// A write is attempted again after an attempt that failed with `cause`.
    @inlinable
    public func recordRetry(after cause: BufferFullCause) {
        #if !BPAGENT_NO_COUNTING
        retries[cause.rawValue].singleWriterAdd(1)
        #endif
    }

    /// A frame of `count` bytes was taken from the source (datagram modes).
    @inlinable
    public func recordReceived(bytes count: Int) {
        #if !BPAGENT_NO_COUNTING
        framesReceived.singleWriterAdd(1)
        bytesReceived.singleWriterAdd(UInt64(count))
        #endif
    }

    /// A received frame had a header defect (it is still forwarded unchanged).
    @inlinable
    public func recordDefect(_ defect: FrameDefect) {
        #if !BPAGENT_NO_COUNTING
        defectiveFrames[defect.rawValue].singleWriterAdd(1)
        #endif
    }

    /// A buffer-full event held the writer for `micros` (see `RetryHow`).
    @inlinable
    public func recordRetryTime(_ how: RetryHow, micros: UInt64) {
        #if !BPAGENT_NO_COUNTING
        retryMicros[how.rawValue].singleWriterAdd(micros)
        #endif
    }

    /// A `wait` episode ended in a write made for `how`.
    @inlinable
    public func recordWaitRecovery(_ how: WaitRecovery) {
        #if !BPAGENT_NO_COUNTING
        waitRecoveries[how.rawValue].singleWriterAdd(1)
        #endif
    }

    /// A buffer-full event ended (the write went through or the data was dropped).
    @inlinable
    public func recordEpisodeEnd(stallMicros: UInt64, retries count: UInt64) {
        #if !BPAGENT_NO_COUNTING
        stallBuckets[StallBuckets.index(forMicros: stallMicros)].singleWriterAdd(1)
        stallSumMicros.singleWriterAdd(stallMicros)
        stallMaxMicros.singleWriterMax(stallMicros)
        retriesPerEventMax.singleWriterMax(count)
        #endif
    }

    /// Data of `count` bytes (one frame or one chunk) was given up for `reason`.
    @inlinable
    public func recordDrop(_ reason: DropReason, bytes count: Int) {
        #if !BPAGENT_NO_COUNTING
        drops[reason.rawValue].singleWriterAdd(1)
        dropBytes[reason.rawValue].singleWriterAdd(UInt64(count))
        #endif
    }

    /// The kernel dropped `count` more datagrams at the source socket's receive queue.
    @inlinable
    public func recordKernelDrops(_ count: UInt64) {
        #if !BPAGENT_NO_COUNTING
        kernelDrops.singleWriterAdd(count)
        #endif
    }

    @inlinable
    public func setQueued(bytes count: Int) {
        queuedBytes.store(UInt64(count), ordering: .relaxed)
    }

    /// A consistent-enough copy for export: each value is read once, relaxed.
    public func snapshot() -> DirectionSnapshot {
        var buckets = [UInt64](repeating: 0, count: StallBuckets.count)
        for i in 0..<StallBuckets.count { buckets[i] = stallBuckets[i].relaxed }
        return DirectionSnapshot(
            bytes: bytes.relaxed,
            writes: writes.relaxed,
            bufferFull: PerCause(eagain: bufferFull[0].relaxed, enobufs: bufferFull[1].relaxed),
            retries: PerCause(eagain: retries[0].relaxed, enobufs: retries[1].relaxed),
            drops: PerReason(policy: drops[0].relaxed, retryBudget: drops[1].relaxed, sendError: drops[2].relaxed,
                             tooLarge: drops[3].relaxed, noStream: drops[4].relaxed),
            dropBytes: PerReason(policy: dropBytes[0].relaxed, retryBudget: dropBytes[1].relaxed,
                                 sendError: dropBytes[2].relaxed, tooLarge: dropBytes[3].relaxed,
                                 noStream: dropBytes[4].relaxed),
            stallBuckets: buckets,
            stallSumMicros: stallSumMicros.relaxed,
            stallMaxMicros: stallMaxMicros.relaxed,
            retriesPerEventMax: retriesPerEventMax.relaxed,
            queuedBytes: queuedBytes.relaxed,
            framesReceived: framesReceived.relaxed,
            bytesReceived: bytesReceived.relaxed,
            defects: PerDefect(truncated: defectiveFrames[0].relaxed, malformed: defectiveFrames[1].relaxed),
            retryMicros: PerHow(spin: retryMicros[0].relaxed, sleep: retryMicros[1].relaxed, wait: retryMicros[2].relaxed),
            kernelDrops: kernelDrops.relaxed,
            waitRecoveries: PerRecovery(event: waitRecoveries[0].relaxed, timer: waitRecoveries[1].relaxed))
    }
}
