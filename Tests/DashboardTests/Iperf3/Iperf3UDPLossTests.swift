import Testing
import Feeds
@testable import Dashboard

/// A UDP run's loss placed where it happened: iperf3's receiver counts what was lost, the
/// agent what its receive queue overflowed (the kernel's count) and what its policy dropped;
/// the rest was lost beyond the agent. The figures of udp-p2-loss.txt: 512 + 4 of 2 × 8633.
@Suite struct Iperf3UDPLossTests {
    /// The agent carried both streams: stream 3 lost 500 in its queue and dropped 10, stream 4 nothing.
    static let agentText = """
        bpagent_stream_info{stream="3",proto="udp",local="127.0.0.1:52257",peer="127.0.0.1:44664",upstream_local="127.0.0.1:40001",upstream_peer="127.0.0.1:5201"} 1
        bpagent_stream_info{stream="4",proto="udp",local="127.0.0.1:52257",peer="127.0.0.1:44665",upstream_local="127.0.0.1:40002",upstream_peer="127.0.0.1:5201"} 1
        bpagent_bytes_total{stream="3",dir="c2s"} 11700000
        bpagent_bytes_total{stream="4",dir="c2s"} 12480000
        bpagent_buffer_full_total{stream="3",dir="c2s",errno="EAGAIN"} 12
        bpagent_kernel_drops_total{stream="3",dir="c2s"} 500
        bpagent_drops_total{stream="3",dir="c2s",reason="retry_budget"} 7
        bpagent_drops_total{stream="3",dir="c2s",reason="send_error"} 3
        bpagent_kernel_drops_total{stream="4",dir="c2s"} 0
        bpagent_drops_total{stream="4",dir="c2s",reason="retry_budget"} 0

        """

    static func report() throws -> Iperf3Report { Iperf3Parser.parse(try Iperf3FeedTests.fixture("udp-p2-loss.txt")) }

    static func summary(agent: Bool) throws -> RunSummary {
        let test = try #require(try report().tests.first)
        let lookup = agent ? AgentLookup(memo: QueryMemo(store: store(source: "agent", [(1, agentText), (2, agentText)]))) : nil
        return RunSummary(test, exactBytes: false, lookup: lookup)
    }

    @Test func theLossLineSaysWhereTheDatagramsWent() throws {
        #expect(try Self.summary(agent: true).lossLines == [
            "c2s: 516 of 17,266 datagrams lost: 500 in the agent's receive queue, 10 dropped by policy, 6 beyond the agent",
        ])
        #expect(try Self.summary(agent: false).lossLines == [
            "c2s: 516 of 17,266 datagrams lost (no agent stream joined: the loss cannot be placed)",
        ])
    }

    @Test func aTCPRunHasNoLossLine() throws {
        let test = try #require(Iperf3Parser.parse(try Iperf3FeedTests.fixture("tcp-p2.txt")).tests.first)
        #expect(RunSummary(test, exactBytes: false, lookup: nil).lossLines.isEmpty)
    }

    /// The summary panel of a UDP run: loss and jitter beside the agent's queue and policy
    /// drops, in place of the TCP-only columns, within 120 columns.
    @Test func theSummaryPanelShowsUDPColumns() throws {
        let definition = try DashboardResolver.load("iperf3", executablePath: "/nonexistent/bptop")
        var data = CollectedData(names: ["agent"], capacity: 10, iperf3: true)
        data.ingest(source: 0, body: Array(Self.agentText.utf8), at: 1)
        data.ingest(source: 0, body: Array(Self.agentText.utf8), at: 2)
        data.ingest(iperf3: .bytes(try Iperf3FeedTests.fixture("udp-p2-loss.txt")), at: 2)
        data.ingest(iperf3: .ended(.exited(0)), at: 2)
        let model = ModelBuilder.build(definition: definition, store: data.store, sources: data.sources,
                                       ui: UIState(windowSlots: 2), now: 2, iperf3: data.iperf3)
        guard case .table(let table) = model.panels.last!.content else { Issue.record("not a table"); return }
        expectSnapshot(TextBackend.render(draw(width: 120, height: 7) { Table(table: table).render(into: &$0, area: $1, symbols: .unicode) }), """
            iperf3▲ role      bytes       mean     lost/total    jitter agent       events  retries rxq drop   drops    stall
            5       c2s    ~12.5 MB   100 Mb/s       512/8633   12.0 µs 3 c2s           12        –      500      10        –
            7       c2s    ~12.5 MB   100 Mb/s         4/8633   10.0 µs 4 c2s            –        –        0       0        –
            SUM     c2s    ~25.0 MB   200 Mb/s      516/17266   11.0 µs all c2s         12        –      500      10        –

            c2s: 12 buffer-full events in 1.00 s, up to 0 retries for one, longest stall 0 s
            c2s: 516 of 17,266 datagrams lost: 500 in the agent's receive queue, 10 dropped by policy, 6 beyond the agent
            """)
    }

    /// While the run goes on: `lost` in place of `tcp retr`, within 120 columns.
    @Test func liveUDPRowsFit120Columns() throws {
        let definition = try DashboardResolver.load("iperf3", executablePath: "/nonexistent/bptop")
        let lines = try Iperf3FeedTests.fixture("udp-p2-loss.txt").split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        var data = CollectedData(names: ["agent"], capacity: 10, iperf3: true)
        data.ingest(source: 0, body: Array(Self.agentText.utf8), at: 1)
        data.ingest(source: 0, body: Array(Self.agentText.utf8), at: 2)
        data.ingest(iperf3: .bytes(Array(lines.prefix(7).joined(separator: [UInt8(ascii: "\n")])) + [UInt8(ascii: "\n")]), at: 2)
        let model = ModelBuilder.build(definition: definition, store: data.store, sources: data.sources,
                                       ui: UIState(windowSlots: 2), now: 2, iperf3: data.iperf3)
        guard case .table(let table) = model.panels.last!.content else { Issue.record("not a table"); return }
        expectSnapshot(TextBackend.render(draw(width: 120, height: 3) { Table(table: table).render(into: &$0, area: $1, symbols: .unicode) }), """
            iperf3▲ role local → remote                     iperf3 now agent      agent now   full/s  retry/s  max stall        lost
            5       c2s  127.0.0.1:44664 → 127.0.0.1:52257    100 Mb/s 3 c2s          0 b/s      0/s        –          –
            7       c2s  127.0.0.1:44665 → 127.0.0.1:52257    100 Mb/s 4 c2s          0 b/s        –        –          –
            """)
    }

    @Test func theReportListsJitterAndBothDrops() throws {
        let agent = store(source: "agent", [(1, Self.agentText), (2, Self.agentText)])
        let text = Iperf3ReportText.text(try Self.report(), agent: agent, run: .init(name: "iperf3 -c 127.0.0.1 -u -P 2", started: nil),
                                         width: 200)
        expectSnapshot(text, """
            iperf3 -c 127.0.0.1 -u -P 2 · 1.00 s
            stream  local → remote                        bytes      mean       min       max  lost/total   jitter  agent  agent bytes  events  retries  most  rxq drop  drops  stall
            5       127.0.0.1:44664 → 127.0.0.1:52257  ~12.5 MB  100 Mb/s  100 Mb/s  100 Mb/s    512/8633  12.0 µs  3 c2s     11700000      12        –     –       500     10      –
            7       127.0.0.1:44665 → 127.0.0.1:52257  ~12.5 MB  100 Mb/s  100 Mb/s  100 Mb/s      4/8633  10.0 µs  4 c2s     12480000       –        –     –         0      0      –
            SUM                                        ~25.0 MB  200 Mb/s  200 Mb/s  200 Mb/s   516/17266  11.0 µs  c2s       24180000      12        –     –       500     10      –
            c2s: 12 buffer-full events in 1.00 s, up to 0 retries for one, longest stall 0 s
            c2s: 516 of 17,266 datagrams lost: 500 in the agent's receive queue, 10 dropped by policy, 6 beyond the agent
            ~ estimated: iperf3's text output rounds to 3 digits (its --json gives exact bytes)

            """)
    }
}
