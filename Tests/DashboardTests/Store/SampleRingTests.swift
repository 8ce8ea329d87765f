@testable import Dashboard
import Testing

@Suite struct SampleRingTests {
    @Test func valuesRoundTripExactlyWhileTheRingWidens() {
        var ring = SampleRing(capacity: 20)
        var appended: [Double?] = []
        let steps: [(Double?, Int)] = [(0, 0), (255, 2), (65_535, 3), (4_294_967_296, 5), (nil, 5), (0.5, 8), (nil, 8)]
        for (value, width) in steps {
            ring.append(value)
            appended.append(value)
            #expect(ring.bytesPerSlot == width)
            #expect(bits(ring.suffix(20)) == bits(appended))
        }
        for value in [9_007_199_254_740_992, -9_007_199_254_740_992, 1e300, -0.0, .infinity, -.infinity, 0.0123] {
            ring.append(value)
            appended.append(value)
        }
        #expect(bits(ring.suffix(20)) == bits(appended))
        #expect(bits(Array(ring.window(3))) == bits([.infinity, -.infinity, 0.0123]))
    }

    @Test func negativeZeroAndTheEdgesOfExactWholeNumbersAreStoredAsDoubles() {
        for value in [-0.0, 9_007_199_254_740_994, 1e20] {
            var ring = SampleRing(capacity: 4)
            ring.append(value)
            #expect(ring.bytesPerSlot == 8)
            #expect(ring.suffix(1).map { $0?.bitPattern } == [value.bitPattern])
        }
        var ring = SampleRing(capacity: 4)
        ring.append(-9_007_199_254_740_992)
        ring.append(9_007_199_254_740_992)  // a range of 2^54, wider than 6 bytes
        #expect(ring.bytesPerSlot == 8)
        #expect(ring.suffix(2) == [-9_007_199_254_740_992, 9_007_199_254_740_992])
    }

    @Test func aGapIsTheWidthsAllOnesValueNotTheLargestOffset() {
        var ring = SampleRing(capacity: 8)
        ring.append(10)
        #expect(ring.bytesPerSlot == 0)
        ring.append(nil)
        ring.append(264)  // offset 254: the largest a 1-byte slot holds besides the gap
        #expect(ring.bytesPerSlot == 1)
        ring.append(265)  // offset 255 would read as a gap
        #expect(ring.bytesPerSlot == 2)
        #expect(ring.suffix(4) == [10, nil, 264, 265])
    }

    @Test func wrapsAroundAfterCapacity() {
        var ring = SampleRing(capacity: 5)
        for i in 1...12 { ring.append(Double(i)) }
        #expect(ring.count == 5)
        #expect(ring.suffix(10) == [8, 9, 10, 11, 12])
        #expect(ring.suffix(2) == [11, 12])
        #expect(Array(ring.window(3)) == [10, 11, 12])
        #expect(ring.window(0).isEmpty)
    }

    @Test func replaceLastOverwritesTheNewestSlotAndWidensWhenItMustAfterWrapping() {
        var ring = SampleRing(capacity: 3)
        for i in 1...4 { ring.append(Double(i)) }  // wrapped: the newest slot is not the last one
        ring.replaceLast(40)
        #expect(ring.suffix(3) == [2, 3, 40])
        ring.replaceLast(1e12)
        #expect(ring.bytesPerSlot == 5)
        #expect(ring.suffix(3) == [2, 3, 1e12])
        ring.replaceLast(0.25)
        #expect(ring.bytesPerSlot == 8)
        #expect(ring.suffix(3) == [2, 3, 0.25])
        ring.append(5)
        #expect(ring.suffix(3) == [3, 0.25, 5])
    }

    @Test func leadingGapsAreReadAsNilAndLeaveAsTheRingFills() {
        var ring = SampleRing(capacity: 5, leadingGaps: 3)
        ring.append(7)
        #expect(ring.suffix(5) == [nil, nil, nil, 7])
        #expect(ring.suffix(2) == [nil, 7])
        ring.append(8)
        ring.append(nil)
        #expect(ring.suffix(5) == [nil, nil, 7, 8, nil])
        ring.append(9)
        ring.append(10)
        #expect(ring.suffix(5) == [7, 8, nil, 9, 10])
        #expect(ring.suffix(9) == [7, 8, nil, 9, 10])
    }

    @Test func aGrowingCounterIsRebasedAsTheRingSlidesAndKeepsItsWidth() {
        var ring = SampleRing(capacity: 4)
        var value = 1_000_000_000.0
        for _ in 0..<10_000 {
            ring.append(value)
            value += 1_000
        }
        // Offsets from the first value would need 4 bytes by now; from the window's own minimum, 2.
        #expect(ring.bytesPerSlot == 2)
        #expect(ring.suffix(4) == [value - 4_000, value - 3_000, value - 2_000, value - 1_000])
    }

    @Test func theRingNarrowsAgainOnceABurstOrAFractionHasLeftTheWindow() {
        var ring = SampleRing(capacity: 4)
        for value in [1.0, 1e12, 2, 0.5, 3] { ring.append(value) }
        #expect(ring.bytesPerSlot == 8)
        for value in [4.0, 5, 6] { ring.append(value) }  // a full turn since the fraction
        #expect(ring.bytesPerSlot == 1)
        #expect(ring.suffix(4) == [3, 4, 5, 6])
        for value in [7.0, 70_000, 9, 10, 11, 12, 13, 14] { ring.append(value) }
        #expect(ring.bytesPerSlot == 1)
        #expect(ring.suffix(4) == [11, 12, 13, 14])
    }

    @Test func aConstantCounterStoresNoSlotsUntilAGapOrAChange() {
        var ring = SampleRing(capacity: 300, leadingGaps: 20)
        for _ in 0..<100 { ring.append(123_456_789_012) }
        #expect(ring.bytesPerSlot == 0 && ring.storageBytes == 0)
        #expect(ring.suffix(120) == Array(repeating: nil, count: 20) + Array(repeating: 123_456_789_012, count: 100))
        ring.append(nil)
        #expect(ring.bytesPerSlot == 1)
        for _ in 0..<498 { ring.append(123_456_789_012) }
        #expect(ring.bytesPerSlot == 1)  // the gap has left, but the ring narrows at the end of a turn
        ring.append(123_456_789_012)
        #expect(ring.bytesPerSlot == 0 && ring.storageBytes == 0)
        #expect(ring.suffix(300).allSatisfy { $0 == 123_456_789_012 })
        ring.append(123_456_789_013)
        #expect(ring.bytesPerSlot == 1 && ring.storageBytes < 320)
        #expect(ring.suffix(2) == [123_456_789_012, 123_456_789_013])
    }

    /// Random operations on the ring and on the 8-byte ring it replaced, read after every one:
    /// the same Doubles, bit for bit, whatever the widths it went through.
    @Test func readsWhatTheDoubleRingItReplacedReadsOverRandomSequences() {
        var random = SystemRandomNumberGenerator.Seeded(seed: 15)
        for _ in 0..<400 {
            let capacity = 1 + Int(random.next() % 12)
            let gaps = Int(random.next() % 14)
            var ring = SampleRing(capacity: capacity, leadingGaps: gaps)
            var reference = DoubleRing(capacity: capacity, leadingGaps: gaps)
            var level = Double(random.next() % 1_000_000)
            for step in 0..<(1 + Int(random.next() % 60)) {
                let value = randomValue(&random, level: &level)
                if step > 0, random.next() % 5 == 0, let value {
                    ring.replaceLast(value)
                    reference.replaceLast(value)
                } else {
                    ring.append(value)
                    reference.append(value)
                }
                for n in [0, 1, capacity / 2, capacity, capacity + 3] {
                    #expect(bits(ring.suffix(n)) == bits(reference.suffix(n)))
                    #expect(ring.window(n).count == reference.suffix(n).count)
                }
            }
        }
    }

    /// Mostly a counter creeping up from `level` or staying put, sometimes a gap, a jump, a fraction or an extreme.
    private func randomValue(_ random: inout SystemRandomNumberGenerator.Seeded, level: inout Double) -> Double? {
        switch random.next() % 20 {
        case 0, 1: return nil
        case 2: level += Double(random.next() % (1 << 40)); return level
        case 3: return Double(random.next() % 1_000) / 7
        case 4: return [-0.0, 0, -1, .infinity, 9_007_199_254_740_992, -9_007_199_254_740_992, 1e18][Int(random.next() % 7)]
        case 5: level = Double(random.next() % 300); return level  // a reset
        case 6, 7, 8, 9, 10: return level  // a counter that stays put
        default: level += Double(random.next() % 2_000); return level
        }
    }

    private func bits(_ values: [Double?]) -> [UInt64?] { values.map { $0?.bitPattern } }
}

/// The ring `SampleRing` replaced: every slot an 8-byte Double, NaN for a gap.
private struct DoubleRing {
    private var ring: RingBuffer<Double>
    private var leadingGaps: Int

    init(capacity: Int, leadingGaps: Int) {
        ring = RingBuffer(capacity: capacity)
        self.leadingGaps = min(leadingGaps, capacity)
    }

    mutating func append(_ value: Double?) {
        if leadingGaps > 0, leadingGaps + ring.count >= ring.capacity { leadingGaps -= 1 }
        ring.append(value ?? .nan)
    }

    mutating func replaceLast(_ value: Double) { ring.replaceLast(value) }

    func suffix(_ n: Int) -> [Double?] {
        let stored = ring.suffix(n).map { $0.isNaN ? nil : $0 }
        return Array(repeating: nil, count: min(max(n - stored.count, 0), leadingGaps)) + stored
    }
}
