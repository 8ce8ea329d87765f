import Testing
import Feeds
import Telemetry
@testable import Dashboard

/// The keys on the iperf3 panel: `s`/`S` sort its streams (the totals stay pinned under them),
/// Enter charts the selected stream as iperf3 and the agent saw it.
@Suite struct Iperf3PanelKeysTests {
    static let iperf3 = try! DashboardResolver.load("iperf3", executablePath: "/nonexistent/bptop")

    @Test func sortingReordersTheStreamsAndArrowsTheColumn() throws {
        // While running, by "iperf3 now" (column 3) lowest first: stream 7 (2.48 Gb/s) before 5 (2.49).
        expectSnapshot(Iperf3ColumnsTests.panelText(Self.iperf3, iperf3: try Iperf3ColumnsTests.running(), ended: false, height: 4,
                                                    ui: UIState(sortColumn: 3, sortDescending: false, windowSlots: 2)), """
            iperf3  role local → remote                     ▲iperf3 now agent      agent now   full/s  retry/s  max stall tcp retr
            7       c2s  127.0.0.1:47610 → 127.0.0.1:52257    2.48 Gb/s unmatched          –        –        –          –        2
            5       c2s  127.0.0.1:47606 → 127.0.0.1:52257    2.49 Gb/s 3 c2s          0 b/s   10.0/s      0/s    12.7 ms        3
            1 of 2 iperf3 streams not matched to an agent stream: 7 (127.0.0.1:47610)
            """)
    }

    @Test func theSummarySortsItsStreamsAndKeepsTheTotalsLast() throws {
        // By bytes (column 2), most first: the RX-C streams moved more; both [SUM] rows stay last.
        expectSnapshot(Iperf3ColumnsTests.panelText(Self.iperf3, iperf3: try Iperf3FeedTests.fixture("bidir-p2.txt"), ended: true,
                                                    agent: false, height: 7, ui: UIState(sortColumn: 2, sortDescending: true, windowSlots: 2)),
                       """
            iperf3  role     ▼bytes       mean        min        max tcp retr agent       events  retries   most    stall
            9       RX-C    ~463 MB  1.84 Gb/s  1.73 Gb/s  1.95 Gb/s        2 –                –        –      –        –
            12      RX-C    ~457 MB  1.82 Gb/s  1.68 Gb/s  1.95 Gb/s        1 –                –        –      –        –
            5       TX-C    ~134 MB   534 Mb/s   523 Mb/s   544 Mb/s       19 –                –        –      –        –
            7       TX-C    ~128 MB   513 Mb/s   502 Mb/s   523 Mb/s       25 –                –        –      –        –
            SUM     TX-C    ~262 MB  1.05 Gb/s  1.05 Gb/s  1.05 Gb/s       44                  –        –      –        –
            SUM     RX-C    ~922 MB  3.65 Gb/s  3.40 Gb/s  3.89 Gb/s        3                  –        –      –        –
            """)
    }

    @Test func theSumRowsArePinnedAndHiddenRowsAreCounted() throws {
        // Four lines under the header: a stream, the position line, the two totals.
        expectSnapshot(Iperf3ColumnsTests.panelText(Self.iperf3, iperf3: try Iperf3FeedTests.fixture("bidir-p2.txt"), ended: true,
                                                    agent: false, height: 5), """
            iperf3▲ role      bytes       mean        min        max tcp retr agent       events  retries   most    stall
            5       TX-C    ~134 MB   534 Mb/s   523 Mb/s   544 Mb/s       19 –                –        –      –        –
            rows 1–1 of 4 ↓
            SUM     TX-C    ~262 MB  1.05 Gb/s  1.05 Gb/s  1.05 Gb/s       44                  –        –      –        –
            SUM     RX-C    ~922 MB  3.65 Gb/s  3.40 Gb/s  3.89 Gb/s        3                  –        –      –        –
            """)
    }

    /// The throughput chart of the iperf3 dashboard with the row `focused` focused.
    static func throughput(focused: String, ended: Bool = false) throws -> ChartModel {
        var data = CollectedData(names: ["agent"], capacity: 10, iperf3: true)
        let later = Iperf3SummaryWithAgentTests.agentText.replacingOccurrences(of: "} 578813952\n", with: "} 579813952\n")
        data.ingest(source: 0, body: Array(Iperf3SummaryWithAgentTests.agentText.utf8), at: 1)
        data.ingest(source: 0, body: Array(later.utf8), at: 2)
        data.ingest(iperf3: .bytes(try ended ? Iperf3FeedTests.fixture("tcp-p2.txt") : Iperf3ColumnsTests.running()), at: 2)
        if ended { data.ingest(iperf3: .ended(.exited(0)), at: 2) }
        let model = ModelBuilder.build(definition: iperf3, store: data.store, sources: data.sources,
                                       ui: UIState(focusedStream: focused, windowSlots: 3), now: 2, iperf3: data.iperf3)
        guard case .chart(let chart) = model.panels[0].content else { throw ChartMissing() }
        return chart
    }

    struct ChartMissing: Error {}

    @Test func focusChartsTheStreamAsIperf3AndTheAgentSawIt() throws {
        let chart = try Self.throughput(focused: "iperf3/5/c2s")
        #expect(chart.series.map(\.name) == ["iperf3 c2s", "agent c2s", "agent s2c", "iperf3 5 c2s", "agent 3 c2s"])
        #expect(chart.series[3].color == .yellow && chart.series[4].color == .white)
        // iperf3's stream 5: 296 MBytes in its second interval; the agent's stream 3: 1,000,000 bytes in 1 s.
        #expect(chart.series[3].values.compactMap { $0 } == [296 * 1_048_576])
        #expect(chart.series[4].values.compactMap { $0 } == [1_000_000])
        let text = TextBackend.render(draw(width: 80, height: 6) { LineChart(chart: chart).render(into: &$0, area: $1, symbols: .unicode) })
        expectSnapshot(String(text.split(separator: "\n")[0]), """
                   iperf3 c2s  agent c2s  agent s2c  iperf3 5 c2s  agent 3 c2s
            """)
    }

    @Test func anUnmatchedStreamOrATotalFocusesWhatItHas() throws {
        // Stream 7 has no agent stream: iperf3's line only.
        #expect(try Self.throughput(focused: "iperf3/7/c2s").series.map(\.name).suffix(1) == ["iperf3 7 c2s"])
        // A total (once the run is over): its direction in iperf3 and in the agent.
        #expect(try Self.throughput(focused: "iperf3/SUM/c2s", ended: true).series.map(\.name).suffix(2) == ["iperf3 c2s", "agent c2s"])
    }
}
