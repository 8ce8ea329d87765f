import Foundation
import Testing
import Feeds
@testable import Dashboard

/// The iperf3 panel's columns as the dashboard file lists them: live, summary and with options.
@Suite struct Iperf3ColumnsTests {
    /// tcp-p2.txt up to its second interval: the run is still going.
    static func running() throws -> [UInt8] {
        let lines = try Iperf3FeedTests.fixture("tcp-p2.txt").split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        return Array(lines.prefix(11).joined(separator: [UInt8(ascii: "\n")])) + [UInt8(ascii: "\n")]
    }

    static func panelText(_ definition: DashboardDefinition, iperf3: [UInt8], ended: Bool, agent: Bool = true,
                          height: Int = 4, ui: UIState = UIState(windowSlots: 2)) -> String {
        var data = CollectedData(names: ["agent"], capacity: 10, iperf3: true)
        if agent {
            let later = Iperf3SummaryWithAgentTests.agentText.replacingOccurrences(of: "} 100\n", with: "} 110\n")
            data.ingest(source: 0, body: Array(Iperf3SummaryWithAgentTests.agentText.utf8), at: 1)
            data.ingest(source: 0, body: Array(later.utf8), at: 2)
        }
        data.ingest(iperf3: .bytes(iperf3), at: 2)
        if ended { data.ingest(iperf3: .ended(.exited(0)), at: 2) }
        let model = ModelBuilder.build(definition: definition, store: data.store, sources: data.sources,
                                       ui: ui, now: 2, iperf3: data.iperf3)
        guard case .table(let table) = model.panels.last!.content else { return "not a table" }
        return TextBackend.render(draw(width: 120, height: height) { Table(table: table).render(into: &$0, area: $1, symbols: .unicode) })
    }

    @Test func liveRowsShowTheNewestIntervalAndTheAgentsRates() throws {
        let definition = try DashboardResolver.load("iperf3", executablePath: "/nonexistent/bptop")
        expectSnapshot(Self.panelText(definition, iperf3: try Self.running(), ended: false), """
            iperf3▲ role local → remote                      iperf3 now agent      agent now   full/s  retry/s  max stall tcp retr
            5       c2s  127.0.0.1:47606 → 127.0.0.1:52257    2.49 Gb/s 3 c2s          0 b/s   10.0/s      0/s    12.7 ms        3
            7       c2s  127.0.0.1:47610 → 127.0.0.1:52257    2.48 Gb/s unmatched          –        –        –          –        2
            1 of 2 iperf3 streams not matched to an agent stream: 7 (127.0.0.1:47610)
            """)
    }

    /// Every option of a column, in a summary list of a dashboard's own.
    static let optionsDashboard = #"""
        {"title": "t", "panels": [{"type": "iperf3", "title": "i", "placement": {"row": 0},
         "columns": {
          "live": [{"title": "s", "field": "stream", "width": 4}],
          "summary": [
           {"title": "s", "field": "stream", "width": 4},
           {"title": "role", "field": "role", "blank": "none", "width": 5},
           {"title": "bytes", "field": "bytes", "exact": true, "width": 12},
           {"title": "agent", "field": "agentStream", "sumPrefix": "Σ ", "width": 10},
           {"title": "events", "field": "bufferFull", "blank": "n/a", "agentOnly": true, "width": 7},
           {"title": "loss", "field": "loss", "else": "dir", "width": 5}],
          "report": [{"title": "s", "field": "stream"}]}}]}
        """#

    @Test func columnOptionsShapeTheCells() throws {
        let definition = try DashboardDefinition(json: Array(Self.optionsDashboard.utf8), file: "options.json")
        let run = try Iperf3FeedTests.fixture("tcp-p2.txt")
        expectSnapshot(Self.panelText(definition, iperf3: run, ended: true, height: 7), """
            s▲   role         bytes agent       events  loss
            5    none       ~579 MB 3 c2s          134   c2s
            7    none       ~578 MB unmatched      n/a   c2s
            SUM  none      ~1.16 GB Σ c2s          134   c2s

            1 of 2 iperf3 streams not matched to an agent stream: 7 (127.0.0.1:47610)
            c2s: 134 buffer-full events in 2.00 s, up to 1624 retries for one, longest stall 12.7 ms
            """)
        // Without the agent's streams the agent-only column goes and no stream is "unmatched".
        expectSnapshot(Self.panelText(definition, iperf3: run, ended: true, agent: false), """
            s▲   role         bytes agent       loss
            5    none       ~579 MB –            c2s
            7    none       ~578 MB –            c2s
            SUM  none      ~1.16 GB              c2s
            """)
    }
}
