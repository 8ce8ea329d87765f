import Telemetry

/// Turns a table definition into sorted, faded rows. Rows come from the first query
/// column's results (identified by `rowKey` labels, or by all labels); every other query
/// column contributes the result whose labels agree with the row's.
struct TableBuilder {
    let definition: TableDefinition
    let memo: QueryMemo
    let ui: UIState
    let multipleSources: Bool

    /// The table and, per row key, the labels identifying the row (for focus).
    func build() -> (TableModel, [String: [PrometheusSample.Label]]) {
        let results = definition.columns.map { column -> [QueryResult] in
            guard case .value(let query, _, let reduction) = column.content else { return [] }
            let span = reduction.span(window: ui.windowSlots)
            return memo.evaluate(query, slots: span.slots, perSlot: span.perSlot)
        }
        let info = definition.info.map { memo.evaluate($0, slots: 1) } ?? []
        let first = definition.columns.firstIndex { if case .value = $0.content { true } else { false } }!
        var rowLabels: [String: [PrometheusSample.Label]] = [:]
        var rows: [TableRow] = []
        for result in results[first] {
            guard let labels = identity(of: result) else { continue }
            let key = labels.map(\.value).joined(separator: "/")
            let infoLabels = info.first { agrees($0.labels, with: labels) }?.labels ?? []
            let cells = definition.columns.indices.map { i in
                cell(definition.columns[i], results: results[i], row: labels, info: infoLabels)
            }
            rows.append(TableRow(key: key, cells: cells, faded: faded([labels, infoLabels])))
            rowLabels[key] = labels
        }
        let sortColumn = ui.sortColumn.map { min($0, definition.columns.count - 1) } ?? definition.sortColumn
        let descending = ui.sortColumn == nil ? definition.sortDescending : ui.sortDescending
        rows.sort { TableOrder.precedes($0, $1, column: sortColumn, descending: descending) }
        let columns = definition.columns.map { c -> TableColumn in
            if case .value = c.content { return TableColumn(title: c.title, width: c.width, alignRight: true) }
            return TableColumn(title: c.title, width: c.width, alignRight: false)
        }
        return (TableModel(columns: columns, rows: rows, sortColumn: sortColumn, sortDescending: descending,
                           selectedKey: ui.selectedKey), rowLabels)
    }

    private func identity(of result: QueryResult) -> [PrometheusSample.Label]? {
        guard let rowKey = definition.rowKey else { return result.labels }
        var labels: [PrometheusSample.Label] = []
        for name in rowKey {
            guard let value = result[label: name] else { return nil }
            labels.append(.init(name, value))
        }
        return labels
    }

    /// Whether every label of `row` that `labels` also has carries the same value.
    private func agrees(_ labels: [PrometheusSample.Label], with row: [PrometheusSample.Label]) -> Bool {
        row.allSatisfy { label in labels.first { $0.name == label.name }.map { $0.value == label.value } ?? true }
    }

    private func cell(_ column: ColumnDefinition, results: [QueryResult], row: [PrometheusSample.Label],
                      info: [PrometheusSample.Label]) -> TableCell {
        switch column.content {
        case .text(let template, let prefixSource):
            let text = LabelTemplate.fill(template, from: [row, info], includeSource: false)
            guard prefixSource, multipleSources, let source = row.first(where: { $0.name == Query.sourceLabel }) else {
                return .text(text)
            }
            return .text("\(source.value)/\(text)")
        case .value(_, let unit, let reduction):
            let match = results.first { agrees($0.labels, with: row) }
            return .number(match.flatMap(reduction.apply), ui.shown(unit))
        }
    }

    private func faded(_ sets: [[PrometheusSample.Label]]) -> Bool {
        guard let fade = definition.fade else { return false }
        let value = sets.lazy.compactMap { $0.first { $0.name == fade.label }?.value }.first
        return value.map(fade.values.contains) ?? false
    }
}

/// Row order: by the sort column (numbers by value with gaps last, text numerically when
/// both sides are numbers so stream 9 comes before 10), ties by key so rows never jump.
enum TableOrder {
    static func precedes(_ a: TableRow, _ b: TableRow, column: Int, descending: Bool) -> Bool {
        switch compare(a.cells[column], b.cells[column]) {
        case .some(let less) where descending: return !less
        case .some(let less): return less
        case nil: return a.key < b.key
        }
    }

    /// true: a before b ascending; false: b before a; nil: equal. Gaps are the lowest
    /// numbers, like `TableCell.sortKey`, so a descending sort puts them last.
    private static func compare(_ a: TableCell, _ b: TableCell) -> Bool? {
        switch (a, b) {
        case (.number(let x, _), .number(let y, _)):
            if x == y { return nil }
            return (x ?? -.infinity) < (y ?? -.infinity)
        default:
            let (s, t) = (text(a), text(b))
            if s == t { return nil }
            if let x = Double(s), let y = Double(t) { return x < y }
            return s < t
        }
    }

    private static func text(_ cell: TableCell) -> String {
        if case .text(let s) = cell { return s }
        return ""
    }
}
