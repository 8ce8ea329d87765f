@testable import Dashboard
import Foundation
import Telemetry
import Testing

@Suite struct QueryTests {
    /// Streams 1 c2s, 1 s2c and 2 c2s with these byte counts, an untyped counter and a gauge.
    static func scrape(_ bytes: [Int], other: Int, gauge: Int) -> String {
        zip([("1", "c2s"), ("1", "s2c"), ("2", "c2s")], bytes)
            .map { "bpagent_bytes_total{stream=\"\($0.0)\",dir=\"\($0.1)\"} \($1)\n" }.joined()
            + "other_total \(other)\n# TYPE g gauge\ng \(gauge)\n"
    }

    let s = store(source: "agent1", [(0, scrape([0, 0, 0], other: 0, gauge: 5)),
                                      (2, scrape([200, 40, 600], other: 10, gauge: 7))])

    @Test func sumByGroupsAndAdds() {
        let byDir = s.evaluate(Query(metric: "bpagent_bytes_total", rate: true, sumBy: ["dir"]), slots: 1)
        #expect(byDir == [QueryResult(labels: [.init("dir", "c2s")], values: [400], window: 400),
                          QueryResult(labels: [.init("dir", "s2c")], values: [20], window: 20)])
        #expect(values(s, Query(metric: "bpagent_bytes_total", rate: true, sumBy: []), slots: 1) == [420])
    }

    @Test func matchersSelectSeries() {
        func streams(_ m: [String: LabelMatcher]) -> [String?] {
            s.evaluate(Query(metric: "bpagent_bytes_total", matchers: m), slots: 1).map { "\($0[label: "stream"]!)\($0[label: "dir"]!)" }
        }
        #expect(streams(["dir": "c2s"]) == ["1c2s", "2c2s"])
        #expect(streams(["dir": "!=c2s"]) == ["1s2c"])
        #expect(streams(["stream": "*", "dir": "s*"]) == ["1s2c"])
        #expect(streams(["errno": "*"]) == [])
        #expect(streams(["instance": "agent1", "stream": "2"]) == ["2c2s"])
    }

    @Test func topKKeepsTheHighestCurrentValues() {
        let top = s.evaluate(Query(metric: "*", rate: true, topK: 2), slots: 1)
        #expect(top.map { $0.seriesDescription(includeSource: false) } ==
            ["bpagent_bytes_total{dir=\"c2s\",stream=\"2\"}", "bpagent_bytes_total{dir=\"c2s\",stream=\"1\"}"])
        #expect(top.map(\.current) == [300, 100])
        // A pattern with rate skips gauges ("g") but keeps untyped *_total series.
        #expect(s.evaluate(Query(metric: "*", rate: true), slots: 1).count == 4)
    }

    @Test func helpersReduceTheSlots() {
        let r = QueryResult(labels: [], values: [2, nil, 6, 1])
        #expect(r.current == 1 && r.max == 6 && r.average == 3)
        #expect(QueryResult(labels: [], values: [1, nil]).current == nil)
    }

    @Test func readsFromJSONWithDefaults() throws {
        let q = try Query(json: Array(#"{"metric":"m","matchers":{"dir":"!=c2s"},"sumBy":[]}"#.utf8))
        #expect(q == Query(metric: "m", matchers: ["dir": "!=c2s"], sumBy: []))
    }
}
