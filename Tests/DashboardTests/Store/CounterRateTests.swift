@testable import Dashboard
import Testing

@Suite struct CounterRateTests {
    @Test func rateIsIncreaseOverElapsedTime() {
        let s = store([(10, "bpagent_bytes_total 0"), (12, "bpagent_bytes_total 1000"), (13, "bpagent_bytes_total 1600")])
        #expect(values(s, bytesRate, slots: 3) == [nil, 500, 600])
        #expect(s.evaluate(bytesRate, slots: 3)[0].window == 1600.0 / 3)
    }

    @Test func counterGoingDownCountsFromZero() {
        let s = store([(0, "bpagent_bytes_total 5000"), (1, "bpagent_bytes_total 6000"), (2, "bpagent_bytes_total 300"),
                       (4, "bpagent_bytes_total 700")])
        #expect(values(s, bytesRate, slots: 3) == [1000, 300, 200])
        // 1000 + 300 + 400 over 4 s.
        #expect(s.evaluate(bytesRate, slots: 3)[0].window == 425)
    }

    @Test func agentRestartCountsFromZeroEvenWhenTheCounterGrew() {
        let before = "bpagent_start_time_seconds 100\nbpagent_bytes_total "
        let after = "bpagent_start_time_seconds 200\nbpagent_bytes_total "
        let s = store([(0, before + "1000"), (1, before + "2000"), (2, after + "2500"), (3, after + "2600")])
        #expect(values(s, bytesRate, slots: 3) == [1000, 2500, 100])
        #expect(s.startTime(of: "a") == 200)
    }

    @Test func failedScrapeGapsBothNeighbouringRates() {
        let s = store([(0, "bpagent_bytes_total 0"), (1, "bpagent_bytes_total 100"), (2, nil),
                       (3, "bpagent_bytes_total 300"), (4, "bpagent_bytes_total 400")])
        #expect(values(s, bytesRate, slots: 4) == [100, nil, nil, 100])
        // The average spans the gap: 400 bytes over 4 s.
        #expect(s.evaluate(bytesRate, slots: 4)[0].window == 100)
    }

    @Test func seriesMissingFromAScrapeIsAGapNotZero() {
        let s = store([(0, "bpagent_bytes_total{stream=\"1\"} 0\nbpagent_bytes_total{stream=\"2\"} 0"),
                       (1, "bpagent_bytes_total{stream=\"1\"} 10"),
                       (2, "bpagent_bytes_total{stream=\"1\"} 20\nbpagent_bytes_total{stream=\"2\"} 50")])
        let results = s.evaluate(bytesRate, slots: 2)
        #expect(results.map { $0[label: "stream"] } == ["1", "2"])
        #expect(results[1].values == [nil, nil])
        #expect(results[0].values == [10, 10])
    }

    @Test func windowShorterThanHistoryIsPaddedAtTheFront() {
        let s = store([(0, "bpagent_bytes_total 0"), (1, "bpagent_bytes_total 10")])
        #expect(values(s, bytesRate, slots: 4) == [nil, nil, nil, 10])
        #expect(values(s, Query(metric: "bpagent_bytes_total"), slots: 3) == [nil, 0, 10])
    }

    @Test func labelOrderDoesNotSplitASeries() {
        let s = store([(0, "m_total{a=\"1\",b=\"2\"} 1"), (1, "m_total{b=\"2\",a=\"1\"} 3")])
        #expect(values(s, Query(metric: "m_total", rate: true), slots: 1) == [2])
    }
}
