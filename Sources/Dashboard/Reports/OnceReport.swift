import Telemetry

/// `bptop --once [--json]`: the dashboard's first table over the newest slot (the caller
/// scrapes twice one interval apart), as aligned text or as the documented JSON object
/// (`schema` 1): every source's status, then one object per row keyed by the columns' `id`s,
/// numbers in base units with the unit in the key (bytes/s, events/s, seconds, bytes).
public enum OnceReport {
    /// The version of the `--once --json` / `--json-lines` object; it changes only when a key
    /// changes meaning or goes away (new keys may appear in any version).
    public static let schema = 1

    /// How one source fared, for the JSON's `sources` list.
    public struct SourceReport: Sendable {
        public let source: String
        public let name: String
        public let error: String?

        public init(source: String, name: String, error: String?) {
            self.source = source
            self.name = name
            self.error = error
        }
    }

    public static func text(definition: DashboardDefinition, store: TimeSeriesStore, showBits: Bool = true) -> String {
        guard let (columns, table, _) = firstTable(definition, store, showBits: showBits) else { return "" }
        let cells = table.rows.map { $0.cells.map(\.plainText) }
        return PlainTable.lines([columns.map(\.title)] + cells) { table.columns[$0].alignRight }
            .joined(separator: "\n") + "\n"
    }

    /// The object, on one line (`lineDepth` 0, for `--json-lines`) or one row per line.
    public static func json(definition: DashboardDefinition, store: TimeSeriesStore, sources: [SourceReport],
                            time: Double, intervalSeconds: Double, lineDepth: Int = 2) -> String {
        var rows: [JSONNode] = []
        if let (columns, table, labels) = firstTable(definition, store, showBits: false) {
            rows = table.rows.map { row in
                let source = labels[row.key]?.first { $0.name == TimeSeriesStore.sourceLabel }?.value
                return .object([("source", .string(source))] + zip(columns, row.cells).map { column, cell in (column.id, cell.json) })
            }
        }
        let statuses = sources.map { s -> JSONNode in
            .object([("source", .string(s.source)), ("name", .string(s.name)), ("status", .string(s.error == nil ? "ok" : "failed")),
                     ("error", .string(s.error))])
        }
        return JSONNode.object([("schema", .integer(schema)), ("time_seconds", .number(time)),
                                ("interval_seconds", .number(intervalSeconds)), ("sources", .array(statuses)),
                                ("streams", .array(rows))]).text(lineDepth: lineDepth)
    }

    private static func firstTable(_ definition: DashboardDefinition, _ store: TimeSeriesStore,
                                   showBits: Bool) -> ([ColumnDefinition], TableModel, [String: [PrometheusSample.Label]])? {
        for panel in definition.panels {
            guard case .table(let table) = panel.kind else { continue }
            let builder = TableBuilder(definition: table, memo: QueryMemo(store: store), ui: UIState(showBits: showBits, windowSlots: 1, showIdle: true),
                                       multipleSources: store.hasSeveralInstances)
            let (model, labels) = builder.build()
            return (table.columns, model, labels)
        }
        return nil
    }
}

private extension TableCell {
    var json: JSONNode {
        switch self {
        case .text(let s): .string(s)
        case .number(let v, _): .number(v)
        case .estimate(let v, _): .number(v)
        }
    }
}
