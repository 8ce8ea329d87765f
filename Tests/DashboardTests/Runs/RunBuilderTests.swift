import Testing
import Telemetry
@testable import Dashboard

/// A run built from scrapes as the live view takes them: series per scrape, totals over every
/// observed slot (even past the store's window), thresholds and compare on top.
@Suite struct RunBuilderTests {
    /// The agent's totals for c2s after `events` buffer-full events (3 retries each), `bytes`
    /// moved, and stalls: half under 1 ms, half under 10 ms.
    private func scrape(bytes: Int, events: Int, longest: Double) -> [UInt8] {
        let half = events / 2
        return Array("""
            # TYPE bpagent_agent_bytes_total counter
            bpagent_agent_bytes_total{dir="c2s"} \(bytes)
            # TYPE bpagent_agent_buffer_full_total counter
            bpagent_agent_buffer_full_total{dir="c2s",errno="ENOBUFS"} \(events)
            # TYPE bpagent_agent_retries_total counter
            bpagent_agent_retries_total{dir="c2s",errno="ENOBUFS"} \(events * 3)
            # TYPE bpagent_agent_drops_total counter
            bpagent_agent_drops_total{dir="c2s",reason="policy"} 0
            # TYPE bpagent_agent_stall_seconds histogram
            bpagent_agent_stall_seconds_bucket{dir="c2s",le="0.001"} \(half)
            bpagent_agent_stall_seconds_bucket{dir="c2s",le="0.01"} \(events)
            bpagent_agent_stall_seconds_bucket{dir="c2s",le="+Inf"} \(events)
            bpagent_agent_stall_seconds_count{dir="c2s"} \(events)
            bpagent_agent_stall_seconds_sum{dir="c2s"} 0
            # TYPE bpagent_agent_stall_max_seconds gauge
            bpagent_agent_stall_max_seconds{dir="c2s"} \(longest)
            # TYPE bpagent_agent_retries_per_event_max gauge
            bpagent_agent_retries_per_event_max{dir="c2s"} 3

            """.utf8)
    }

    /// Scrapes at 100, 101, … with the totals given, observed one by one.
    private func run(capacity: Int, _ scrapes: [(bytes: Int, events: Int, longest: Double)]) -> MeasuredRun {
        var data = CollectedData(names: ["agent"], capacity: capacity)
        var builder = RunBuilder()
        for (i, s) in scrapes.enumerated() {
            data.ingest(source: 0, body: scrape(bytes: s.bytes, events: s.events, longest: s.longest), at: 100 + Double(i))
            builder.observe(data)
        }
        return builder.run(data, title: "agent")
    }

    @Test func seriesPerScrapeAndTotalsOverTheRun() throws {
        let r = run(capacity: 300, [(1000, 10, 0.002), (3000, 30, 0.004), (6000, 30, 0.004), (10000, 50, 0.008)])
        #expect(r.seconds == 3)
        #expect(r.directions.map(\.dir) == ["c2s"])
        let c2s = try #require(r.direction("c2s"))
        // Each rate at the middle of the second it covers.
        #expect(c2s.agentThroughput == [RunPoint(time: 0, value: nil), RunPoint(time: 0.5, value: 2000),
                                         RunPoint(time: 1.5, value: 3000), RunPoint(time: 2.5, value: 4000)])
        #expect(c2s.bufferFullRate.map(\.value) == [nil, 20, 0, 20])
        #expect(c2s.retriesRate.map(\.value) == [nil, 60, 0, 60])
        // The run counts from its first scrape: 50 − 10 events, 9,000 bytes in 3 s.
        #expect(c2s.totals[.bufferFull] == 40)
        #expect(c2s.totals[.retries] == 120)
        #expect(c2s.totals[.bytes] == 9000)
        #expect(c2s.totals[.bufferFullRate] == 40.0 / 3)
        #expect(c2s.totals[.throughputMean] == 3000)
        #expect(c2s.totals[.throughputMin] == 2000 && c2s.totals[.throughputMax] == 4000)
        #expect(c2s.totals[.drops] == 0)
        #expect(c2s.totals[.retriesMax] == 3)
        #expect(c2s.totals[.stallMax] == 0.008)
        // 20 of the 40 stalls under 1 ms, all under 10 ms: p50 at 1 ms; p99 interpolates to 9.82 ms
        // inside (1, 10] ms, above the longest stall seen, so it is capped there.
        #expect(c2s.totals[.stallP50] == 0.001)
        #expect(c2s.totals[.stallP99] == 0.008)
        #expect(r.headlines == ["c2s: 24.0 Kb/s mean · 40 buffer-full events in 3.00 s, up to 3 retries for one, longest stall 8.00 ms"])
    }

    @Test func aRunLongerThanTheStoresWindowKeepsAllOfIt() throws {
        let scrapes = (0..<10).map { (bytes: 1000 * $0, events: 2 * $0, longest: 0.001) }
        let r = run(capacity: 2, scrapes)
        let c2s = try #require(r.direction("c2s"))
        #expect(c2s.agentThroughput.count == 10)
        #expect(c2s.totals[.bufferFull] == 18)
        #expect(c2s.totals[.bytes] == 9000)
    }

    @Test func thresholdsPassFailAndSayNoData() throws {
        let r = run(capacity: 300, [(1000, 10, 0.002), (3000, 30, 0.004), (6000, 30, 0.004), (10000, 50, 0.008)])
        func check(_ text: String) throws -> ThresholdVerdict { ThresholdVerdict(try ThresholdParser.parse(text), run: r) }
        #expect(try check("stall_max<10ms").passed)
        #expect(try !check("stall_max<5ms").passed)
        #expect(try check("buffer_full_rate{dir=c2s}<14/s").passed)
        #expect(try !check("buffer_full{dir=s2c}==0").passed)  // no such direction: no data
        #expect(try !check("retransmits==0").passed)  // no iperf3: no data
        let lines = GateReport.lines([try check("stall_max<10ms"), try check("buffer_full{dir=s2c}==0"), try check("p99(stall)<1ms")])
        #expect(lines == ["✓ stall_max<10ms           c2s 8.00 ms",
                          "✗ buffer_full{dir=s2c}==0  s2c no data",
                          "✗ p99(stall)<1ms           c2s 8.00 ms"])
    }

    @Test func regressionCountsWhicheverWayIsWorse() throws {
        let before = run(capacity: 300, [(0, 0, 0.001), (1000, 10, 0.002)])
        let after = run(capacity: 300, [(0, 0, 0.001), (900, 15, 0.002)])
        let throughput = ThresholdVerdict(try ThresholdParser.parse("regression(throughput_mean)<5%"), run: after, before: before)
        #expect(!throughput.passed)
        #expect(abs(throughput.measured[0].value! - 0.1) < 1e-12)
        let events = ThresholdVerdict(try ThresholdParser.parse("regression(buffer_full)<=50%"), run: after, before: before)
        #expect(events.passed && events.measured[0].value == 0.5)
        #expect(GateReport.lines([throughput]) == ["✗ regression(throughput_mean)<5%  c2s +10.0 % worse"])
    }
}
