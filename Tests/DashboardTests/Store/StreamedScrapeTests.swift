@testable import Dashboard
import Telemetry
import Testing

/// A scrape parsed whole goes straight into the store, sample by sample as the parser reads
/// it (`TimeSeriesStore.ingest(source:parsing:at:)`): what is settled only at the scrape's end
/// (a restart its start time shows, whether it was an exposition at all) must still be right.
@Suite struct StreamedScrapeTests {
    private func body(start: Double, streams: [(id: Int, bytes: Double)]) -> [UInt8] {
        var text = "# TYPE bpagent_bytes_total counter\n"
        for s in streams { text += "bpagent_bytes_total{stream=\"\(s.id)\",dir=\"c2s\"} \(s.bytes)\n" }
        // The start time after the counters: the slot is open before the restart is known.
        text += "# TYPE bpagent_start_time_seconds gauge\nbpagent_start_time_seconds \(start)\n"
        return Array(text.utf8)
    }

    private func rates(_ data: CollectedData) -> [Double?] {
        data.store.evaluate(Query(metric: "bpagent_bytes_total", matchers: ["stream": "1"], rate: true), slots: 1)
            .first?.values ?? []
    }

    @Test func aRestartInAScrapeParsedWholeIsAReset() {
        var data = CollectedData(names: ["a"], capacity: 8)
        data.ingest(source: 0, body: body(start: 100, streams: [(1, 0)]), at: 0)
        data.ingest(source: 0, body: body(start: 100, streams: [(1, 1000)]), at: 1)
        #expect(rates(data) == [1000])
        // The agent restarted and a second stream appeared (the lines differ: parsed whole).
        // 1,500 bytes since the restart, not 500 since the last scrape.
        data.ingest(source: 0, body: body(start: 200, streams: [(1, 1500), (2, 10)]), at: 2)
        #expect(rates(data) == [1500])
        // Repeated lines (values only) after it: an ordinary increase again.
        data.ingest(source: 0, body: body(start: 200, streams: [(1, 1600), (2, 20)]), at: 3)
        #expect(rates(data) == [100])
        data.ingest(source: 0, body: body(start: 300, streams: [(1, 1700), (2, 30)]), at: 4)
        #expect(rates(data) == [1700])
    }

    @Test func aBodyWithoutOneSampleAppendsOnlyTheFailure() {
        var data = CollectedData(names: ["a"], capacity: 8)
        data.ingest(source: 0, body: body(start: 100, streams: [(1, 0)]), at: 0)
        let refused = data.ingest(source: 0, body: Array("<html>\n<p>not here</p>\n".utf8), at: 1)
        #expect(refused?.skippedLines == 2)
        #expect(data.store.slotTimes(of: "a", count: 3) == [-.infinity, 0, 1])
        #expect(data.store.evaluate(Query(metric: "bpagent_bytes_total"), slots: 2).first?.values == [0, nil])
        // An empty body is an exposition without series: a slot, not a failure.
        #expect(data.ingest(source: 0, body: [], at: 2) == nil)
        #expect(data.store.slotTimes(of: "a", count: 3) == [0, 1, 2])
    }
}
