@testable import Dashboard
import Testing

@Suite struct DefinitionErrorTests {
    static let place = #""placement": {"row": 0}"#
    static let q = #""query": {"metric": "m"}"#

    /// Each bad document with the exact line bptop prints for it.
    @Test(arguments: [
        (#"{"panels": []}"#, #"x.json: missing field "title""#),
        (#"{"title": 1, "panels": []}"#, "x.json: title: expected a string, got 1"),
        (#"{"title": "t", "panels": {}}"#, "x.json: panels: expected an array, got an object"),
        (#"{"title": "t", "panles": []}"#, "x.json: panles: unknown field; expected one of title, header, panels, thresholds"),
        (#"{"title": "t", "panels": [], "thresholds": ["drops==0", "stall_max<1xs"]}"#,
         #"x.json: thresholds[1]: invalid threshold 'stall_max<1xs' at column 12: unknown unit "xs" for stall_max (expected ns, us, µs, ms, s)"#),
        (#"{"title": "t", "panels": [{"type": "pie", "title": "p", \#(place)}]}"#,
         #"x.json: panels[0].type: expected one of chart, table, stats, text, iperf3, got "pie""#),
        (#"{"title": "t", "panels": [{"type": "text", "title": "p", "text": "a"}]}"#,
         #"x.json: panels[0]: missing field "placement""#),
        (#"{"title": "t", "panels": [{"type": "chart", "title": "c", \#(place), "unit": "furlongs", "queries": []}]}"#,
         #"x.json: panels[0].unit: expected one of bits/s, bytes/s, bytes, 1/s, s, count, auto, got "furlongs""#),
        (#"{"title": "t", "panels": [{"type": "chart", "title": "c", "placement": {"row": 0, "column": 6, "width": 7}, "unit": "s", "queries": []}]}"#,
         "x.json: panels[0].placement.width: expected a whole number from 1 to 6, got 7"),
        (#"{"title": "t", "panels": [{"type": "chart", "title": "c", \#(place), "unit": "s", "queries": [{"name": "a", "color": "pink", \#(q)}]}]}"#,
         #"x.json: panels[0].queries[0].color: expected one of default, red, green, yellow, blue, magenta, cyan, white, got "pink""#),
        (#"{"title": "t", "header": [{"label": "l", "unit": "s", "query": {"metric": "m", "quantile": 2}}], "panels": []}"#,
         "x.json: header[0].query.quantile: expected a number from 0.0 to 1.0, got 2"),
        (#"{"title": "t", "header": [{"label": "l", "unit": "s", "query": {"metric": "m", "matchers": {"dir": 1}}}], "panels": []}"#,
         "x.json: header[0].query.matchers.dir: expected a string, got 1"),
        (#"{"title": "t", "panels": [{"type": "table", "title": "c", \#(place), "columns": [{"title": "a", "width": 3}]}]}"#,
         #"x.json: panels[0].columns[0]: expected a "text" or a "query" field"#),
        (#"{"title": "t", "panels": [{"type": "table", "title": "c", \#(place), "columns": [{"title": "a", "width": 3, "text": "{x}"}]}]}"#,
         "x.json: panels[0].columns: expected at least one column with a query"),
        (#"{"title": "t", "panels": [{"type": "table", "title": "c", \#(place), "columns": [{"title": "a", "width": 3, "unit": "s", \#(q)}], "sort": {"column": 1}}]}"#,
         "x.json: panels[0].sort.column: expected a whole number from 0 to 0, got 1"),
        (#"{"title": "t", "panels": [}"#, "x.json: not valid JSON (line 1, column 27)"),
    ])
    func badDocumentGivesOneLineError(json: String, expected: String) {
        do {
            _ = try DashboardDefinition(json: Array(json.utf8), file: "x.json")
            Issue.record("accepted: \(json)")
        } catch {
            let message = error.description
            #expect(message == expected)
            #expect(!message.contains("\n"))
        }
    }
}
