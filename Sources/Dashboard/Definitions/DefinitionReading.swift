import Telemetry

/// Builds a `DashboardDefinition` from a JSON tree, field by field, so every mistake is
/// reported with its path, and unknown fields are errors (a typo never silently does nothing).
extension DashboardDefinition {
    /// Parses a dashboard file's bytes; `file` is only used to prefix errors. Format:
    /// `{"title", "header": [stat], "panels": [panel]}`; a panel is `{"type": chart|table|stats|text|iperf3,
    /// "title", "placement": {"row", "column"=0, "width"=12-column, "heightWeight"=1, "minHeight"=4}}` plus
    /// chart: `"unit", "queries": [{"name", "color", "query"}], "focus": [same], "markers": query, "notes": [stat]`;
    /// table: `"columns": [{"title", "id"=title, "width", "text" ("{label}" template), "prefixSource"=false}
    /// or {…, "query", "unit", "value"=current|average|max, "names" (the text for codes 0, 1, …)}], "rowKey": [label], "info": query,
    /// "sort": {"column", "descending"=false}, "fade": {"label", "values"}, "idleColumn": column id (rows with 0 there are hidden until `i`), "empty": {"text" ({label} template), "info": query filling it, "otherwise"}`; stats: `"stats": [stat]`;
    /// text: `"text"`; iperf3 (iperf3's streams joined with the agent's): `"columns": {"live", "summary",
    /// "report"}`, three lists of `{"title", "field", "width" (not in "report"), "else": field, "exact"=false,
    /// "blank"=– for numbers, "" for text, "sumPrefix"="", "agentOnly"=false, "proto" (tcp|udp: only for tests of that protocol)}` and in "report" "drop" (1…, the order
    /// columns are left out in when the text is wider than the terminal) (fields: `Iperf3Field`). A stat is
    /// `{"label", "unit", "color"=default, "query", "value"=current, "thresholds": [{"value", "color"}]}`; a query `{"metric", "matchers": {label: "v"|"!=v"|"*"|"p*"},
    /// "rate"=false, "sumBy" (group labels), "aggregate"=sum|max|min|avg (how a group combines), "quantile", "atMost" (a max gauge capping the quantile), "topK", "type" (a pattern's metric type: counter, gauge, …)}`. `Dashboards/backpressure.json` is a complete example.
    public init(json bytes: [UInt8], file: String) throws(DefinitionError) {
        do {
            let root = try JSONField(value: JSONValue.parseDefinition(bytes), path: "")
                .object(allowing: ["title", "header", "panels", "thresholds"])
            title = try root.require("title").string()
            thresholds = try root["thresholds"].map(Self.thresholds) ?? []
            header = try root["header"].map(Self.stats) ?? []
            panels = []
            for panel in try root.require("panels").array() { panels.append(try Self.panel(panel)) }
        } catch {
            var named = error
            named.file = file
            throw named
        }
    }

    /// `"thresholds": ["stall_max<10ms", …]`: the gates a run with this dashboard checks at its end.
    private static func thresholds(_ field: JSONField) throws(DefinitionError) -> [ThresholdExpression] {
        var out: [ThresholdExpression] = []
        for item in try field.array() {
            let text = try item.string()
            do { out.append(try ThresholdParser.parse(text)) } catch { throw DefinitionError(path: item.path, message: error.description) }
        }
        return out
    }

    private static func panel(_ field: JSONField) throws(DefinitionError) -> PanelDefinition {
        let o = try field.object(allowing: ["type", "title", "placement", "unit", "queries", "focus", "markers", "notes",
                                            "rowKey", "info", "columns", "sort", "fade", "idleColumn", "empty", "stats", "text"])
        let type = try o.require("type").oneOf(PanelType.self)
        let kind: PanelDefinition.Kind
        switch type {
        case .chart:
            kind = .chart(ChartDefinition(
                unit: try o.require("unit").oneOf(), queries: try namedQueries(o.require("queries")),
                focus: try o["focus"].map(namedQueries) ?? [], markers: try o["markers"].map(query),
                notes: try o["notes"].map(stats) ?? []))
        case .table: kind = .table(try table(o))
        case .stats: kind = .stats(try stats(o.require("stats")))
        case .text: kind = .text(try o.require("text").string())
        case .iperf3: kind = .iperf3(try iperf3Columns(o.require("columns")))
        }
        return PanelDefinition(title: try o.require("title").string(), placement: try placement(o.require("placement")), kind: kind)
    }

    private enum PanelType: String, CaseIterable { case chart, table, stats, text, iperf3 }

    private static func placement(_ field: JSONField) throws(DefinitionError) -> GridPlacement {
        let o = try field.object(allowing: ["row", "column", "width", "heightWeight", "minHeight"])
        let column = try o["column"]?.int(in: 0...11) ?? 0
        return GridPlacement(row: try o.require("row").int(in: 0...99), column: column,
                             width: try o["width"]?.int(in: 1...(12 - column)) ?? 12 - column,
                             heightWeight: try o["heightWeight"]?.int(in: 1...100) ?? 1,
                             minHeight: try o["minHeight"]?.int(in: 1...200) ?? 4)
    }

    private static func table(_ o: JSONObject) throws(DefinitionError) -> TableDefinition {
        var columns: [ColumnDefinition] = []
        for c in try o.require("columns").array() { columns.append(try column(c)) }
        guard columns.contains(where: { if case .value = $0.content { true } else { false } }) else {
            throw DefinitionError(path: JSONObject.join(o.path, "columns"), message: "expected at least one column with a query")
        }
        var sortColumn = 0, descending = false
        if let sort = try o["sort"]?.object(allowing: ["column", "descending"]) {
            sortColumn = try sort.require("column").int(in: 0...(columns.count - 1))
            descending = try sort["descending"]?.bool() ?? false
        }
        var fade: FadeRule?
        if let f = try o["fade"]?.object(allowing: ["label", "values"]) {
            fade = FadeRule(label: try f.require("label").string(), values: try f.require("values").strings())
        }
        var idleColumn: Int?
        if let idle = o["idleColumn"] {
            let id = try idle.string()
            guard let index = columns.firstIndex(where: { $0.id == id }), case .value = columns[index].content else {
                throw idle.fail("the id of a column with a query")
            }
            idleColumn = index
        }
        var empty: EmptyTableText?
        if let e = try o["empty"]?.object(allowing: ["text", "info", "otherwise"]) {
            let text = try e.require("text").string()
            empty = EmptyTableText(text: text, info: try e["info"].map(query), otherwise: try e["otherwise"]?.string() ?? text)
        }
        return TableDefinition(rowKey: try o["rowKey"]?.strings(), info: try o["info"].map(query), columns: columns,
                               sortColumn: sortColumn, sortDescending: descending, fade: fade, idleColumn: idleColumn,
                               empty: empty)
    }

    private static func column(_ field: JSONField) throws(DefinitionError) -> ColumnDefinition {
        let o = try field.object(allowing: ["title", "id", "width", "text", "prefixSource", "query", "unit", "value", "names"])
        let title = try o.require("title").string()
        let content: ColumnDefinition.Content
        if let text = o["text"] {
            content = .text(try text.string(), prefixSource: try o["prefixSource"]?.bool() ?? false)
        } else if let q = o["query"] {
            content = .value(try query(q), try o.require("unit").oneOf(), try o["value"]?.oneOf() ?? .current)
        } else {
            throw DefinitionError(path: field.path, message: "expected a \"text\" or a \"query\" field")
        }
        return ColumnDefinition(title: title, id: try o["id"]?.string() ?? title,
                                width: try o.require("width").int(in: 1...80), content: content,
                                names: try o["names"]?.strings())
    }

    private static func iperf3Columns(_ field: JSONField) throws(DefinitionError) -> Iperf3Columns {
        let o = try field.object(allowing: ["live", "summary", "report"])
        return Iperf3Columns(live: try iperf3List(o.require("live"), widths: true),
                             summary: try iperf3List(o.require("summary"), widths: true),
                             report: try iperf3List(o.require("report"), widths: false))
    }

    /// `widths`: a panel's list (each column says its width); the text report's columns fit their cells.
    private static func iperf3List(_ field: JSONField, widths: Bool) throws(DefinitionError) -> [Iperf3Column] {
        var out: [Iperf3Column] = []
        for item in try field.array() {
            let o = try item.object(allowing: ["title", "field"] + (widths ? ["width"] : ["drop"])
                                    + ["else", "exact", "blank", "sumPrefix", "agentOnly", "proto"])
            out.append(Iperf3Column(
                title: try o.require("title").string(), field: try o.require("field").oneOf(),
                width: widths ? try o.require("width").int(in: 1...80) : 0, fallback: try o["else"]?.oneOf(),
                exact: try o["exact"]?.bool() ?? false, blank: try o["blank"]?.string(),
                sumPrefix: try o["sumPrefix"]?.string() ?? "", agentOnly: try o["agentOnly"]?.bool() ?? false,
                proto: try o["proto"]?.oneOf(), dropOrder: try o["drop"]?.int(in: 1...99)))
        }
        return out
    }

    private static func stats(_ field: JSONField) throws(DefinitionError) -> [StatDefinition] {
        var out: [StatDefinition] = []
        for item in try field.array() {
            let o = try item.object(allowing: ["label", "unit", "color", "query", "value", "thresholds"])
            var thresholds: [Threshold] = []
            for t in try o["thresholds"]?.array() ?? [] {
                let to = try t.object(allowing: ["value", "color"])
                thresholds.append(Threshold(value: try to.require("value").number(), color: try to.require("color").oneOf()))
            }
            out.append(StatDefinition(label: try o.require("label").string(), unit: try o.require("unit").oneOf(),
                                      color: try o["color"]?.oneOf() ?? .default, query: try query(o.require("query")),
                                      value: try o["value"]?.oneOf() ?? .current, thresholds: thresholds))
        }
        return out
    }

    private static func namedQueries(_ field: JSONField) throws(DefinitionError) -> [NamedQuery] {
        var out: [NamedQuery] = []
        for item in try field.array() {
            let o = try item.object(allowing: ["name", "color", "query"])
            out.append(NamedQuery(name: try o.require("name").string(), color: try o["color"]?.oneOf() ?? .default,
                                  query: try query(o.require("query"))))
        }
        return out
    }

    static func query(_ field: JSONField) throws(DefinitionError) -> Query {
        let o = try field.object(allowing: ["metric", "matchers", "rate", "sumBy", "aggregate", "quantile", "atMost", "topK", "type"])
        var matchers: [String: LabelMatcher] = [:]
        if let m = o["matchers"] {
            guard case .object(let fields) = m.value else { throw m.fail("an object of label matchers") }
            for (label, value) in fields.sorted(by: { $0.key < $1.key }) {
                matchers[label] = LabelMatcher(rawValue: try JSONField(value: value, path: JSONObject.join(m.path, label)).string())
            }
        }
        return Query(metric: try o.require("metric").string(), matchers: matchers, rate: try o["rate"]?.bool() ?? false,
                     sumBy: try o["sumBy"]?.strings(), aggregate: try o["aggregate"]?.oneOf() ?? .sum, quantile: try o["quantile"]?.number(in: 0...1), atMost: try o["atMost"]?.string(),
                     topK: try o["topK"]?.int(in: 1...1000), type: try o["type"]?.oneOf())
    }
}

extension Query {
    /// Reads one query in the dashboard files' format (`{"metric", "matchers", "rate", …}`), with
    /// the same defaults and errors as inside a dashboard: there is one reader of that format.
    init(json bytes: [UInt8]) throws(DefinitionError) {
        self = try DashboardDefinition.query(JSONField(value: JSONValue.parseDefinition(bytes), path: ""))
    }
}
