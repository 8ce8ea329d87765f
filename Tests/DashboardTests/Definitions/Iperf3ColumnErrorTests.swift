@testable import Dashboard
import Testing

/// An iperf3 panel's column lists are read like every other part of a dashboard: each mistake
/// is one line naming the field's path.
@Suite struct Iperf3ColumnErrorTests {
    static func dashboard(_ columns: String) -> String {
        #"{"title": "t", "panels": [{"type": "iperf3", "title": "i", "placement": {"row": 0}\#(columns)}]}"#
    }

    static let column = #"{"title": "s", "field": "stream", "width": 4}"#
    static let fields = "stream, role, dir, endpoints, iperf3Now, bytes, mean, min, max, retransmits, retransmitsSoFar, loss, lossSoFar, jitter, "
        + "agentStream, agentNow, agentBytes, bufferFull, bufferFullPerSecond, retries, retriesPerSecond, mostRetries, longestStall, "
        + "sndbufLimitedPerSecond, rwndLimitedPerSecond, sndbufLimited, rwndLimited, policyDrops, kernelDrops"

    @Test func theSmallestPanelIsAccepted() throws {
        let json = Self.dashboard(#", "columns": {"live": [\#(Self.column)], "summary": [], "report": []}"#)
        let panel = try DashboardDefinition(json: Array(json.utf8), file: "x.json").panels[0]
        #expect(panel.kind == .iperf3(Iperf3Columns(live: [Iperf3Column(
            title: "s", field: .stream, width: 4, fallback: nil, exact: false, blank: nil, sumPrefix: "", agentOnly: false)],
            summary: [], report: [])))
    }

    @Test(arguments: [
        (dashboard(""), #"x.json: panels[0]: missing field "columns""#),
        (dashboard(#", "columns": {"live": [], "summary": []}"#), #"x.json: panels[0].columns: missing field "report""#),
        (dashboard(#", "columns": {"live": [{"title": "s", "field": "rate", "width": 4}], "summary": [], "report": []}"#),
         #"x.json: panels[0].columns.live[0].field: expected one of \#(fields), got "rate""#),
        (dashboard(#", "columns": {"live": [], "summary": [{"title": "s", "field": "role", "else": "none", "width": 4}], "report": []}"#),
         #"x.json: panels[0].columns.summary[0].else: expected one of \#(fields), got "none""#),
        (dashboard(#", "columns": {"live": [{"title": "s", "field": "stream"}], "summary": [], "report": []}"#),
         #"x.json: panels[0].columns.live[0]: missing field "width""#),
        (dashboard(#", "columns": {"live": [], "summary": [], "report": [\#(column)]}"#),
         "x.json: panels[0].columns.report[0].width: unknown field; expected one of title, field, drop, else, exact, blank, sumPrefix, agentOnly, proto"),
        // Only the text report leaves columns out for the width; a panel's are fitted by the table.
        (dashboard(#", "columns": {"live": [{"title": "s", "field": "stream", "width": 4, "drop": 1}], "summary": [], "report": []}"#),
         "x.json: panels[0].columns.live[0].drop: unknown field; expected one of title, field, width, else, exact, blank, sumPrefix, agentOnly, proto"),
        (dashboard(#", "columns": {"live": [], "summary": [], "report": [{"title": "s", "field": "stream", "drop": 0}]}"#),
         "x.json: panels[0].columns.report[0].drop: expected a whole number from 1 to 99, got 0"),
        (dashboard(#", "columns": {"live": [], "summary": [{"title": "s", "field": "bytes", "exact": 1, "width": 4}], "report": []}"#),
         "x.json: panels[0].columns.summary[0].exact: expected true or false, got 1"),
        (dashboard(#", "columns": {"live": [], "summary": [], "report": [], "totals": []}"#),
         "x.json: panels[0].columns.totals: unknown field; expected one of live, summary, report"),
    ])
    func badColumnsGiveOneLineError(json: String, expected: String) {
        do {
            _ = try DashboardDefinition(json: Array(json.utf8), file: "x.json")
            Issue.record("accepted: \(json)")
        } catch {
            #expect(error.description == expected)
        }
    }
}
