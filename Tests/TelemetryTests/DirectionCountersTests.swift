import Testing
import Telemetry

/// The per-direction counters as the relay drives them.
@Suite struct DirectionCountersTests {
    /// A stall exactly on a bucket's upper bound belongs to that bucket (Prometheus' `le`
    /// is "less than or equal"); one microsecond more belongs to the next.
    @Test(arguments: zip(StallBuckets.upperBoundsMicros.indices, StallBuckets.upperBoundsMicros))
    func boundGoesInItsOwnBucket(index: Int, bound: UInt64) {
        let counters = DirectionCounters()
        counters.recordEpisodeEnd(stallMicros: bound, retries: 0)
        counters.recordEpisodeEnd(stallMicros: bound + 1, retries: 0)
        var expected = [UInt64](repeating: 0, count: StallBuckets.count)
        expected[index] = 1
        expected[index + 1] = 1
        #expect(counters.snapshot().stallBuckets == expected)
    }

    @Test func extremesGoInTheFirstAndInfBuckets() {
        #expect(StallBuckets.count == StallBuckets.upperBoundsMicros.count + 1)
        #expect(DirectionCounters().stallBuckets.count == StallBuckets.count)
        let counters = DirectionCounters()
        counters.recordEpisodeEnd(stallMicros: 0, retries: 0)
        counters.recordEpisodeEnd(stallMicros: .max, retries: 0)
        let buckets = counters.snapshot().stallBuckets
        #expect(buckets.first == 1 && buckets.last == 1 && buckets.reduce(0, +) == 2)
    }

    /// Maxima only grow; sums and counts add up.
    @Test func episodesTrackMaximaAndSums() {
        let counters = DirectionCounters()
        counters.recordEpisodeEnd(stallMicros: 300, retries: 5)
        counters.recordEpisodeEnd(stallMicros: 100, retries: 9)
        counters.recordEpisodeEnd(stallMicros: 50, retries: 1)
        let snapshot = counters.snapshot()
        #expect(snapshot.stallMaxMicros == 300)
        #expect(snapshot.retriesPerEventMax == 9)
        #expect(snapshot.stallSumMicros == 450)
        #expect(snapshot.stallCount == 3)
        #expect(snapshot.stallBuckets == [0, 0, 0, 0, 0, 1, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])
    }

    @Test func writesFailuresAndDropsByCause() {
        let counters = DirectionCounters()
        counters.recordWrite(bytes: 1500)
        counters.recordWrite(bytes: 60)
        counters.recordBufferFull(.eagain)
        counters.recordBufferFull(.enobufs)
        counters.recordBufferFull(.enobufs)
        counters.recordRetry(after: .enobufs)
        counters.recordDrop(.policy, bytes: 1500)
        counters.recordDrop(.retryBudget, bytes: 60)
        counters.recordDrop(.retryBudget, bytes: 70)
        counters.setQueued(bytes: 9000)
        counters.setQueued(bytes: 100)
        #expect(counters.snapshot() == DirectionSnapshot(
            bytes: 1560, writes: 2, bufferFull: PerCause(eagain: 1, enobufs: 2), retries: PerCause(enobufs: 1),
            drops: PerReason(policy: 1, retryBudget: 2), dropBytes: PerReason(policy: 1500, retryBudget: 130),
            queuedBytes: 100))
    }
}
