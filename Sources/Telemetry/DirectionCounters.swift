import Synchronization

/// The counters of one direction (`c2s` or `s2c`) of one stream.
///
/// Written only by the relay thread that owns the stream, read by exporters at any time.
/// Nothing here locks or allocates: the hot path touches `bytes` and `writes` once per
/// successful write; everything else is touched only when a write hits a full buffer.
public final class DirectionCounters: Sendable {
    public let bytes = Atomic<UInt64>(0)
    public let writes = Atomic<UInt64>(0)
    /// Buffer-full events by the errno of the attempt that started them.
    public let bufferFull: InlineArray<2, Atomic<UInt64>> = InlineArray { _ in Atomic<UInt64>(0) }
    /// Retries by the errno of the failed attempt that made them necessary.
    public let retries: InlineArray<2, Atomic<UInt64>> = InlineArray { _ in Atomic<UInt64>(0) }
    public let drops: InlineArray<2, Atomic<UInt64>> = InlineArray { _ in Atomic<UInt64>(0) }
    public let dropBytes: InlineArray<2, Atomic<UInt64>> = InlineArray { _ in Atomic<UInt64>(0) }
    /// Per-bucket (not cumulative) stall counts; see `StallBuckets`.
    public let stallBuckets: InlineArray<15, Atomic<UInt64>> = InlineArray { _ in Atomic<UInt64>(0) }
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
            drops: PerReason(policy: drops[0].relaxed, retryBudget: drops[1].relaxed),
            dropBytes: PerReason(policy: dropBytes[0].relaxed, retryBudget: dropBytes[1].relaxed),
            stallBuckets: buckets,
            stallSumMicros: stallSumMicros.relaxed,
            stallMaxMicros: stallMaxMicros.relaxed,
            retriesPerEventMax: retriesPerEventMax.relaxed,
            queuedBytes: queuedBytes.relaxed)
    }
}
