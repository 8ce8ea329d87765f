@testable import Dashboard
import Telemetry
import Testing

/// A scrape that repeats the previous one's lines is ingested by its values alone; the store
/// must hold exactly what ingesting it parsed would have given, through restarts, NaN values,
/// failures, series that come and go and evictions.
@Suite struct RepeatedScrapeTests {
    private func body(start: Double, _ streams: [(id: Int, bytes: Double)], extra: String = "") -> [UInt8] {
        var text = "# TYPE bpagent_start_time_seconds gauge\nbpagent_start_time_seconds \(start)\n# TYPE bpagent_bytes_total counter\n"
        for s in streams { text += "bpagent_bytes_total{stream=\"\(s.id)\",dir=\"c2s\"} \(s.bytes)\n" }
        text += "# TYPE bpagent_stall_seconds histogram\n"
        for s in streams {
            for (le, n) in [("0.001", 1.0), ("+Inf", 2.0)] {
                text += "bpagent_stall_seconds_bucket{stream=\"\(s.id)\",dir=\"c2s\",le=\"\(le)\"} \(s.bytes.isNaN ? 0 : (s.bytes / 100).rounded(.down) * n)\n"
            }
        }
        return Array((text + extra).utf8)
    }

    @Test func theStoreHoldsWhatParsingWouldHaveGiven() {
        let scrapes: [[UInt8]?] = [
            body(start: 100, [(1, 0), (2, 0)]),
            body(start: 100, [(1, 1000), (2, 500)]),
            body(start: 100, [(1, 3000), (2, .nan)]),  // NaN: a gap for stream 2
            body(start: 100, [(1, 6000), (2, 900)]),
            nil,  // a failed scrape
            body(start: 100, [(1, 8000), (2, 1900)]),
            body(start: 200, [(1, 100), (2, 50)]),  // the agent restarted
            body(start: 200, [(1, 700), (2, 650)]),
            body(start: 200, [(1, 900), (2, 650), (3, 10)]),  // a new stream: parsed whole
            body(start: 200, [(1, 1900), (2, 650), (3, 40)]),
            body(start: 200, [(1, 2900), (3, 90)]),  // stream 2 gone
        ] + (0..<12).map { i in body(start: 200, [(1, 3900 + 1000 * Double(i)), (3, 100)]) }  // stream 2 evicted
        var fast = CollectedData(names: ["a"], capacity: 8)
        var parsed = CollectedData(names: ["a"], capacity: 8)
        let queries = [
            Query(metric: "bpagent_bytes_total", rate: true),
            Query(metric: "bpagent_bytes_total", rate: true, sumBy: []),
            Query(metric: "bpagent_bytes_total"),
            Query(metric: "bpagent_stall_seconds", sumBy: ["stream"], quantile: 0.5),
        ]
        for (i, scrape) in scrapes.enumerated() {
            let time = Double(i)
            if let scrape {
                fast.ingest(source: 0, body: scrape, at: time)
                parsed.ingest(source: 0, exposition: PrometheusTextParser.parse(scrape), at: time)
            } else {
                fast.recordFailure(source: 0, at: time)
                parsed.recordFailure(source: 0, at: time)
            }
            for query in queries {
                for slots in [1, 3, 7] {
                    let (a, b) = (fast.store.evaluate(query, slots: slots), parsed.store.evaluate(query, slots: slots))
                    #expect(a.map(\.labels) == b.map(\.labels), "scrape \(i)")
                    #expect(a.map { $0.values.map { $0.map(\.bitPattern) } } == b.map { $0.values.map { $0.map(\.bitPattern) } }, "scrape \(i) \(query.metric) \(slots)")
                    #expect(a.map { $0.window?.bitPattern } == b.map { $0.window?.bitPattern }, "scrape \(i)")
                }
            }
            #expect(fast.store.seriesCount == parsed.store.seriesCount)
            #expect(fast.store.startTime(of: "a") == parsed.store.startTime(of: "a"))
            #expect(fast.sources == parsed.sources)
        }
        #expect(fast.store.seriesCount == 7)  // the start time, streams 1 and 3 (bytes and two buckets each)
    }
}
