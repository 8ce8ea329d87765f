import Testing
@testable import Dashboard

/// Samples that carry their own timestamp (Prometheus' `/federate`): bptop scrapes every second,
/// the series was observed every 3 s, and its rate is the increase over the observations' own
/// times — never 0, 0, then 3× the true rate.
@Suite struct SampleTimestampTests {
    /// 30 bytes per 3 s observation (10 B/s), read by 1 s scrapes that see each observation 3 times.
    static func federated() -> TimeSeriesStore {
        store(capacity: 20, (0..<10).map { second in
            let observed = second / 3 * 3
            return (100 + Double(second), "bpagent_bytes_total \(observed * 10) \((100 + observed) * 1000)")
        })
    }

    @Test func ratesUseTheSamplesOwnTimes() {
        #expect(values(Self.federated(), bytesRate, slots: 10) == [nil, nil, nil, 10, 10, 10, 10, 10, 10, 10])
        #expect(Self.federated().evaluate(bytesRate, slots: 10)[0].window == 10)
        // A table's "now" reads one slot: the rate still comes from observations before it.
        #expect(values(Self.federated(), bytesRate, slots: 1) == [10])
    }

    /// Scrape times would have read the same data as 0 twice, then 30 B/s.
    @Test func withoutTimestampsTheScrapeClockIsUsed() {
        let plain = store(capacity: 20, (0..<10).map { second in
            (100 + Double(second), "bpagent_bytes_total \(second / 3 * 30)")
        })
        #expect(values(plain, bytesRate, slots: 10) == [nil, 0, 0, 30, 0, 0, 30, 0, 0, 30])
    }

    /// A sample whose timestamp did not advance is a repeat: not a new point for rates, but
    /// its value is still the series' current value.
    @Test func aRepeatKeepsItsValueForGauges() {
        let gauge = Query(metric: "bpagent_bytes_total")
        #expect(values(Self.federated(), gauge, slots: 4) == [60, 60, 60, 90])
    }

    /// An observation older than the newest one (a federation target scraped out of order)
    /// is a repeat too; a counter reset between observations counts from zero.
    @Test func olderStampsAreRepeatsAndResetsCountFromZero() {
        let s = store(capacity: 10, [
            (1, "c_total 100 1000"), (2, "c_total 120 3000"), (3, "c_total 110 2000"), (4, "c_total 20 5000"),
        ])
        #expect(values(s, Query(metric: "c_total", rate: true), slots: 4) == [nil, 10, 10, 10])
    }
}
