@testable import Dashboard
import Telemetry
import Testing

/// The chunked series table reads, changes and drops series exactly as an array would.
@Suite struct SeriesTableTests {
    private func series(_ n: Int) -> StoredSeries {
        StoredSeries(id: SeriesID(metric: "m", labels: [.init("n", "\(n)")], sampleLabels: false),
                     labels: [.init("n", "\(n)")], values: SampleRing(capacity: 4, leadingGaps: 0), lastSeen: n)
    }

    @Test func positionsAcrossChunksAreThoseOfAnArray() {
        var table = SeriesTable()
        let count = 4096 * 2 + 17  // three chunks, the last partly full
        for n in 0..<count { table.append(series(n)) }
        #expect(table.count == count)
        #expect(table.map(\.lastSeen) == Array(0..<count))
        #expect(table[4095].labels == [.init("n", "4095")])
        #expect(table[4096].labels == [.init("n", "4096")])
        #expect(table.last?.lastSeen == count - 1)
        // Changed in place through the subscript, on both sides of a chunk's edge.
        for n in [0, 4095, 4096, count - 1] {
            table[n].values.append(Double(n))
            table[n].lastSeen = -n
        }
        #expect(table[4096].values.window(1).last == 4096)
        #expect([0, 4095, 4096, count - 1].map { table[$0].lastSeen } == [0, -4095, -4096, -(count - 1)])
        table.removeAll { $0.lastSeen < 0 || $0.lastSeen % 2 == 1 }
        // The even positions but the two made negative (4096 and the last); 0 stays 0.
        let kept = Array(stride(from: 0, to: count, by: 2)).filter { $0 != 4096 && $0 != count - 1 }
        #expect(table.count == kept.count)
        #expect(table.map(\.lastSeen) == kept, "the kept series, in order")
        table.append(series(99_999))
        #expect(table.last?.lastSeen == 99_999)
    }
}
