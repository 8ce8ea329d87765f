import Telemetry

/// `bptop --once [--json]`: the dashboard's first table over the newest slot (the caller
/// scrapes twice one interval apart), as aligned text or as JSON with one object per row,
/// keyed by the columns' `id`s, numbers in base units (bytes/s, events/s, seconds, bytes).
public enum OnceReport {
    public static func text(definition: DashboardDefinition, store: TimeSeriesStore, showBits: Bool = true) -> String {
        guard let (columns, table) = firstTable(definition, store, showBits: showBits) else { return "" }
        let cells = table.rows.map { $0.cells.map(\.plainText) }
        return PlainTable.lines([columns.map(\.title)] + cells) { table.columns[$0].alignRight }
            .joined(separator: "\n") + "\n"
    }

    public static func json(definition: DashboardDefinition, store: TimeSeriesStore) -> String {
        guard let (columns, table) = firstTable(definition, store, showBits: false) else { return "[]\n" }
        return JSONNode.array(table.rows.map { row in
            .object(zip(columns, row.cells).map { column, cell in (column.id, cell.json) })
        }).text()
    }

    private static func firstTable(_ definition: DashboardDefinition, _ store: TimeSeriesStore,
                                   showBits: Bool) -> ([ColumnDefinition], TableModel)? {
        for panel in definition.panels {
            guard case .table(let table) = panel.kind else { continue }
            let builder = TableBuilder(definition: table, memo: QueryMemo(store: store), ui: UIState(showBits: showBits, windowSlots: 1, showIdle: true),
                                       multipleSources: store.sourceNames.count > 1)
            return (table.columns, builder.build().0)
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
