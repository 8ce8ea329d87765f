@testable import Dashboard
import Telemetry
import Testing

/// "Longest" and "worst" figures are the largest across series, never their sum; quantiles
/// never exceed the exact maximum the agent exports.
@Suite struct AggregationTests {
    static let stalls = """
        # TYPE bpagent_stall_max_seconds gauge
        bpagent_stall_max_seconds{stream="1",dir="c2s"} 0.244
        bpagent_stall_max_seconds{stream="1",dir="s2c"} 0.010
        bpagent_stall_max_seconds{stream="2",dir="c2s"} 0.002
        bpagent_stall_max_seconds{stream="3",dir="c2s"} 0.120

        """
    let s = store(source: "agent", [(1, stalls), (2, stalls)])

    @Test func maxMinAndAvgCombineAcrossSeries() {
        func figure(_ a: Aggregation, _ by: [String] = []) -> [Double?] {
            s.evaluate(Query(metric: "bpagent_stall_max_seconds", sumBy: by, aggregate: a), slots: 1).map(\.current)
        }
        #expect(figure(.max) == [0.244])
        #expect(figure(.min) == [0.002])
        #expect(figure(.sum) == [0.376])
        #expect(figure(.avg) == [0.094])
        #expect(figure(.max, ["dir"]) == [0.244, 0.010])
    }

    @Test func aGapDoesNotCountInTheMean() {
        let gappy = store(source: "agent", [(1, "x{a=\"1\"} 4\nx{a=\"2\"} 8\n"), (2, "x{a=\"1\"} 6\n")])
        #expect(values(gappy, Query(metric: "x", sumBy: [], aggregate: .avg), slots: 2) == [6, 6])
    }

    @Test func aQuantileIsCappedByTheExactMax() throws {
        // 10 stalls between 0.1 s and 1 s: p99 interpolates to 0.991 s, but none took over 0.442 s.
        func scrape(_ count: Int) -> String {
            """
            # TYPE bpagent_stall_seconds histogram
            bpagent_stall_seconds_bucket{stream="1",le="0.1"} 0
            bpagent_stall_seconds_bucket{stream="1",le="1"} \(count)
            bpagent_stall_seconds_bucket{stream="1",le="+Inf"} \(count)
            bpagent_stall_seconds_count{stream="1"} \(count)
            # TYPE bpagent_stall_max_seconds gauge
            bpagent_stall_max_seconds{stream="1"} \(count == 0 ? 0 : 0.442)

            """
        }
        let h = store(source: "agent", [(1, scrape(0)), (2, scrape(10))])
        let free = Query(metric: "bpagent_stall_seconds", sumBy: ["stream"], quantile: 0.99)
        let raw = try #require(h.evaluate(free, slots: 1).first)
        #expect(raw.current! > 0.9)
        var capped = free
        capped.atMost = "bpagent_stall_max_seconds"
        let result = try #require(h.evaluate(capped, slots: 1).first)
        #expect(result.current == 0.442 && result.window == 0.442)
    }

    @Test func theDashboardFormatReadsAggregateAndAtMost() throws {
        let q = try Query(json: Array(#"{"metric":"m","sumBy":[],"aggregate":"max","quantile":0.5,"atMost":"m_max"}"#.utf8))
        #expect(q == Query(metric: "m", sumBy: [], aggregate: .max, quantile: 0.5, atMost: "m_max"))
        #expect(throws: DefinitionError.self) { try Query(json: Array(#"{"metric":"m","aggregate":"median"}"#.utf8)) }
    }
}
