@testable import Dashboard
import Testing

@Suite struct StoreCapacityTests {
    @Test func ringKeepsOnlyTheNewestSlots() {
        var ring = RingBuffer<Int>(capacity: 3)
        for i in 1...5 { ring.append(i) }
        #expect(ring.suffix(10) == [3, 4, 5])
        #expect(ring.suffix(2) == [4, 5])
        #expect(ring.last == 5)
    }

    @Test func seriesUnseenForCapacitySlotsIsEvicted() {
        var scrapes: [(Double, String?)] = [(0, "gone 1\nstays 1")]
        for t in 1...3 { scrapes.append((Double(t), "stays 1")) }
        let s = store(capacity: 4, scrapes)
        #expect(s.seriesCount == 2)
        let s2 = store(capacity: 4, scrapes + [(4, "stays 1")])
        #expect(s2.seriesCount == 1)
        #expect(s2.evaluate(Query(metric: "gone"), slots: 4).isEmpty)
    }

    @Test func evictionKeepsEachMetricsSeriesInLabelOrder() {
        // Streams 10, 9 and 2 appear in that order; 9 goes away and is evicted; 1 arrives first later.
        var scrapes: [(Double, String?)] = [(0, "b{s=\"10\"} 1\nb{s=\"9\"} 2\nb{s=\"2\"} 3")]
        for t in 1...4 { scrapes.append((Double(t), "b{s=\"10\"} 1\nb{s=\"2\"} 3")) }
        scrapes.append((5, "b{s=\"1\"} 4\nb{s=\"10\"} 5\nb{s=\"2\"} 6"))
        let s = store(capacity: 4, scrapes)
        #expect(s.seriesCount == 3)
        let history = s.sources["a"]!
        #expect(history.byMetric["b"]!.map { history.series[$0].labels.value(of: "s") } == ["1", "2", "10"])
        let results = s.evaluate(Query(metric: "b"), slots: 2)
        #expect(results.map { $0[label: "s"] } == ["1", "2", "10"])
        #expect(results.map(\.values) == [[nil, 4], [3, 6], [1, 5]])
    }

    @Test func failuresAloneEvictEverything() {
        let s = store(capacity: 2, [(0, "x 1"), (1, nil), (2, nil)])
        #expect(s.seriesCount == 0)
    }

    @Test func memoryStaysBoundedWhileStreamsComeAndGo() {
        // 1,000 scrapes, each with two streams never seen before.
        var s = TimeSeriesStore(capacity: 5)
        for t in 0..<1000 {
            let text = "b_total{stream=\"\(2 * t)\"} 1\nb_total{stream=\"\(2 * t + 1)\"} 1\n"
            s.ingest(source: "a", exposition: .init(text), at: Double(t))
        }
        #expect(s.seriesCount == 10)
        #expect(s.slotBytes == 5 * (10 * 8 + 1 * 16))
    }
}

import Telemetry

extension ParsedExposition {
    init(_ text: String) { self = PrometheusTextParser.parse(text.utf8) }
}
