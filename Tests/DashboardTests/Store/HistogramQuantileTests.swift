@testable import Dashboard
import Testing

@Suite struct HistogramQuantileTests {
    typealias B = HistogramQuantile.Bucket
    let buckets = [B(upperBound: 0.1, count: 10), B(upperBound: 0.5, count: 30), B(upperBound: 1, count: 40),
                   B(upperBound: .infinity, count: 50)]

    // Hand-computed as Prometheus' histogram_quantile does.
    @Test(arguments: [
        (0.1, 0.05),      // rank 5 in [0, 0.1]: 0 + 0.1 × 5/10
        (0.5, 0.4),       // rank 25 in (0.1, 0.5]: 0.1 + 0.4 × 15/20
        (0.7, 0.75),      // rank 35 in (0.5, 1]: 0.5 + 0.5 × 5/10
        (0.99, 1.0),      // rank 49.5 falls in +Inf: the last finite bound
        (1.0, 1.0),
    ])
    func interpolatesInsideTheBucket(q: Double, expected: Double) {
        #expect(HistogramQuantile.quantile(q, of: buckets) == expected)
    }

    @Test func noObservationsOrNoInfBucketIsNil() {
        #expect(HistogramQuantile.quantile(0.5, of: buckets.map { B(upperBound: $0.upperBound, count: 0) }) == nil)
        #expect(HistogramQuantile.quantile(0.5, of: Array(buckets.dropLast())) == nil)
    }

    @Test func nonMonotonicCountsAreForcedUp() {
        let odd = [B(upperBound: 1, count: 4), B(upperBound: 2, count: 2), B(upperBound: .infinity, count: 4)]
        #expect(HistogramQuantile.quantile(0.5, of: odd) == 0.5)
    }

    @Test func queryTakesTheIncreaseOverTheWindowPerStream() {
        func scrape(_ counts: [Int], stream: String) -> String {
            zip(["0.001", "0.01", "+Inf"], counts).map { "stall_seconds_bucket{stream=\"\(stream)\",le=\"\($0)\"} \($1)" }
                .joined(separator: "\n")
        }
        // Stream 1 gains 4 events ≤ 1 ms and 4 in (1 ms, 10 ms]; before the window it had 100 small ones.
        let s = store([(0, scrape([100, 100, 100], stream: "1") + "\n" + scrape([0, 0, 0], stream: "2")),
                       (1, scrape([102, 104, 104], stream: "1") + "\n" + scrape([0, 0, 0], stream: "2")),
                       (2, scrape([104, 108, 108], stream: "1") + "\n" + scrape([0, 0, 0], stream: "2"))])
        let results = s.evaluate(Query(metric: "stall_seconds", quantile: 0.75), slots: 2)
        #expect(results.map { $0[label: "stream"] } == ["1", "2"])
        // rank 6 of 8: 0.001 + 0.009 × 2/4
        let expected = 0.001 + (0.01 - 0.001) * (2.0 / 4)
        #expect(results[0].window == expected)
        #expect(results[0].values == [expected, expected])
        #expect(results[1].window == nil)
        let total = s.evaluate(Query(metric: "stall_seconds", sumBy: [], quantile: 0.5), slots: 2)
        #expect(total.count == 1 && total[0].window == 0.001)
    }
}

/// A gauge histogram (OpenMetrics `gaugehistogram`) is a distribution as it is now: its quantile
/// reads the buckets' values, where a histogram's reads their increase over the window.
@Suite struct GaugeHistogramQuantileTests {
    static let text = """
        # TYPE queue_depth gaugehistogram
        queue_depth_bucket{le="1"} 5
        queue_depth_bucket{le="2"} 10
        queue_depth_bucket{le="+Inf"} 10
        queue_depth_gcount 10
        queue_depth_gsum 12
        """

    @Test func quantilesReadTheCurrentBuckets() {
        let s = store(source: "a", [(1, Self.text), (2, Self.text)])
        let median = Query(metric: "queue_depth", sumBy: [], quantile: 0.5)
        // 5 of 10 at or below 1: the median is 1, every slot; unchanged buckets are no reason for none.
        #expect(values(s, median, slots: 2) == [1, 1])
        #expect(s.evaluate(median, slots: 2, perSlot: false).first?.window == 1)
    }
}
