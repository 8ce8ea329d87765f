import Testing
import Feeds
import Telemetry
@testable import Dashboard

/// The end-of-run summary with the agent's figures: `bptop report --source`, bptop's exit text
/// and the panel once the run is over.
@Suite struct Iperf3SummaryWithAgentTests {
    /// An agent that carried stream 5 of tcp-p2.txt (as its stream 3) but not stream 7.
    static let agentText = """
        bpagent_stream_info{stream="3",proto="tcp",local="127.0.0.1:52257",peer="127.0.0.1:47606",upstream_local="127.0.0.1:40001",upstream_peer="127.0.0.1:5201",state="closed"} 1
        bpagent_bytes_total{stream="3",dir="c2s"} 578813952
        bpagent_bytes_total{stream="3",dir="s2c"} 0
        bpagent_buffer_full_total{stream="3",dir="c2s",errno="EAGAIN"} 100
        bpagent_buffer_full_total{stream="3",dir="c2s",errno="ENOBUFS"} 24
        bpagent_retries_total{stream="3",dir="c2s",errno="EAGAIN"} 1624
        bpagent_retries_per_event_max{stream="3",dir="c2s"} 1624
        bpagent_stall_max_seconds{stream="3",dir="c2s"} 0.0127

        """

    static func agentStore() -> TimeSeriesStore {
        store(source: "agent", [(1, agentText), (2, agentText)])
    }

    @Test func reportTextAddsTheAgentsFiguresAndNamesUnmatchedStreams() throws {
        let report = Iperf3Parser.parse(try Iperf3FeedTests.fixture("tcp-p2.txt"))
        let text = Iperf3ReportText.text(report, agent: Self.agentStore(), run: .init(name: "iperf3 -c 127.0.0.1 -P 2", started: "2025-03-05 14:02:11"),
                                         width: 200)
        expectSnapshot(text, """
            iperf3 -c 127.0.0.1 -P 2 · started 2025-03-05 14:02:11 · 2.00 s
            stream  local → remote                        bytes       mean        min        max  tcp retr  agent      agent bytes  events  retries  most    stall
            5       127.0.0.1:47606 → 127.0.0.1:52257   ~579 MB  2.32 Gb/s  2.15 Gb/s  2.49 Gb/s         3  3 c2s        578813952     124     1624  1624  12.7 ms
            7       127.0.0.1:47610 → 127.0.0.1:52257   ~578 MB  2.32 Gb/s  2.15 Gb/s  2.48 Gb/s         2  unmatched
            SUM                                        ~1.16 GB  4.63 Gb/s  4.29 Gb/s  4.96 Gb/s         5  c2s          578813952     124     1624  1624  12.7 ms
            1 of 2 iperf3 streams not matched to an agent stream: 7 (127.0.0.1:47610)
            c2s: 124 buffer-full events in 2.00 s, up to 1624 retries for one, longest stall 12.7 ms
            ~ estimated: iperf3's text output rounds to 3 digits (its --json gives exact bytes)

            """)
    }

    /// The summary printed where the terminal is narrower than its lines: columns go in the
    /// dashboard's drop order, named under the table; the title and notes wrap.
    @Test func reportTextFitsTheTerminalWidth() throws {
        let report = Iperf3Parser.parse(try Iperf3FeedTests.fixture("tcp-p2.txt"))
        let run = Iperf3ReportText.Run(name: "iperf3 -c 127.0.0.1 -P 2", started: "2025-03-05 14:02:11")
        for width in [120, 80] {
            let text = Iperf3ReportText.text(report, agent: Self.agentStore(), run: run, width: width)
            #expect(text.split(separator: "\n").allSatisfy { $0.count <= width }, "\(text)")
        }
        expectSnapshot(Iperf3ReportText.text(report, agent: Self.agentStore(), run: run, width: 120), """
            iperf3 -c 127.0.0.1 -P 2 · started 2025-03-05 14:02:11 · 2.00 s
            stream     bytes       mean        min        max  tcp retr  agent      agent bytes  events  retries  most    stall
            5        ~579 MB  2.32 Gb/s  2.15 Gb/s  2.49 Gb/s         3  3 c2s        578813952     124     1624  1624  12.7 ms
            7        ~578 MB  2.32 Gb/s  2.15 Gb/s  2.48 Gb/s         2  unmatched
            SUM     ~1.16 GB  4.63 Gb/s  4.29 Gb/s  4.96 Gb/s         5  c2s          578813952     124     1624  1624  12.7 ms
            1 of 2 iperf3 streams not matched to an agent stream: 7 (127.0.0.1:47610)
            c2s: 124 buffer-full events in 2.00 s, up to 1624 retries for one, longest stall 12.7 ms
            ~ estimated: iperf3's text output rounds to 3 digits (its --json gives exact bytes)
            left out to fit 120 columns: local → remote

            """)
        expectSnapshot(Iperf3ReportText.text(report, agent: Self.agentStore(), run: run, width: 80), """
            iperf3 -c 127.0.0.1 -P 2 · started 2025-03-05 14:02:11 · 2.00 s
            stream     bytes       mean  tcp retr  agent      events  retries  most    stall
            5        ~579 MB  2.32 Gb/s         3  3 c2s         124     1624  1624  12.7 ms
            7        ~578 MB  2.32 Gb/s         2  unmatched
            SUM     ~1.16 GB  4.63 Gb/s         5  c2s           124     1624  1624  12.7 ms
            1 of 2 iperf3 streams not matched to an agent stream: 7 (127.0.0.1:47610)
            c2s: 124 buffer-full events in 2.00 s, up to 1624 retries for one, longest stall
            12.7 ms
            ~ estimated: iperf3's text output rounds to 3 digits (its --json gives exact
            bytes)
            left out to fit 80 columns: local → remote, min, max, agent bytes

            """)
    }

    @Test func reportJSONCarriesTheAgentPerStream() throws {
        let report = Iperf3Parser.parse(try Iperf3FeedTests.fixture("json-p2.json"))
        let json = Iperf3ReportText.json(report, agent: Self.agentStore())
        #expect(json.contains("\"agent\": null"))
        #expect(!json.contains("\"buffer_full\": 124"))  // json-p2 used other ports: nothing joins
    }

    @Test func thePanelShowsTheSummaryOnceTheRunIsOver() throws {
        var data = CollectedData(names: ["agent"], capacity: 10, iperf3: true)
        data.ingest(source: 0, body: Array(Self.agentText.utf8), at: 1)
        data.ingest(source: 0, body: Array(Self.agentText.utf8), at: 2)
        data.ingest(iperf3: .bytes(try Iperf3FeedTests.fixture("tcp-p2.txt")), at: 2)
        data.ingest(iperf3: .ended(.exited(0)), at: 2)
        let definition = try DashboardResolver.load("iperf3", executablePath: "/nonexistent/bptop")
        let model = ModelBuilder.build(definition: definition, store: data.store, sources: data.sources,
                                       ui: UIState(windowSlots: 2), now: 2, iperf3: data.iperf3)
        let panel = model.panels.last!
        #expect(panel.title == "iperf3 ⇄ agent · client TCP, 2 streams, 1 of 2 joined · finished, summary")
        guard case .table(let table) = panel.content else { Issue.record("not a table"); return }
        let text = TextBackend.render(draw(width: 110, height: 7) { Table(table: table).render(into: &$0, area: $1, symbols: .unicode) })
        expectSnapshot(text, """
            iperf3▲ role      bytes       mean        min        max tcp retr agent       events  retries   most    stall
            5       c2s     ~579 MB  2.32 Gb/s  2.15 Gb/s  2.49 Gb/s        3 3 c2s          124     1624   1624  12.7 ms
            7       c2s     ~578 MB  2.32 Gb/s  2.15 Gb/s  2.48 Gb/s        2 unmatched        –        –      –        –
            SUM     c2s    ~1.16 GB  4.63 Gb/s  4.29 Gb/s  4.96 Gb/s        5 all c2s        124     1624   1624  12.7 ms

            1 of 2 iperf3 streams not matched to an agent stream: 7 (127.0.0.1:47610)
            c2s: 124 buffer-full events in 2.00 s, up to 1624 retries for one, longest stall 12.7 ms
            """)
    }

    @Test func theIperf3DashboardRendersAtEverySize() throws {
        var data = CollectedData(names: ["agent"], capacity: 10, iperf3: true)
        data.ingest(source: 0, body: Array(Self.agentText.utf8), at: 1)
        data.ingest(iperf3: .bytes(try Iperf3FeedTests.fixture("tcp-p2.txt")), at: 2)
        let definition = try DashboardResolver.load("iperf3", executablePath: "/nonexistent/bptop")
        let model = ModelBuilder.build(definition: definition, store: data.store, sources: data.sources,
                                       ui: UIState(windowSlots: 2), now: 2, iperf3: data.iperf3)
        for width in 0...130 {
            for height in 0...45 {
                let text = TextBackend.render(ScreenRenderer().render(model, width: width, height: height, symbols: .unicode))
                expectTooSmallOrHeader(text, width: width, height: height, title: "bptop: iperf3 joined")
            }
        }
    }
}
