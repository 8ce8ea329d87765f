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
        let first = definition.columns.firstIndex { if case .value = $0.content { true } else { false } }!
        let results = definition.columns.indices.map { i -> [QueryResult] in
            guard case .value(var query, _, let reduction) = definition.columns[i].content else { return [] }
            // The first query column picks the rows (its topK); the others give figures for those
            // rows, so they must not pick their own top K (an average column would miss rows).
            if i != first { query.topK = nil }
            let span = reduction.span(window: ui.windowSlots)
            return memo.evaluate(query, slots: span.slots, perSlot: span.perSlot)
        }
        var info = InfoIndex(definition.info.map { memo.evaluate($0, slots: 3) } ?? [])
        var rowLabels: [String: [PrometheusSample.Label]] = [:]
        var rows: [TableRow] = []
        for row in rowPlan(results, first: first).rows {
            guard let row else { continue }
            let infoLabels = info.newest(agreeingWith: row.labels)?.labels ?? []
            let cells = definition.columns.indices.map { i in
                cell(definition.columns[i], match: row.matches[i].map { results[i][$0] }, row: row.labels, info: infoLabels)
            }
            rows.append(TableRow(key: row.key, cells: cells, faded: faded([row.labels, infoLabels], cells)))
            rowLabels[row.key] = row.labels
        }
        var footnote: String?
        if let idle = definition.idleColumn, !ui.showIdle {
            let busy = rows.filter { row in
                if case .number(let v?, _) = row.cells[idle] { return v != 0 }
                return false
            }
            let hidden = rows.count - busy.count
            if hidden > 0 { footnote = "\(hidden) idle \(hidden == 1 ? "row" : "rows") hidden (i: show)" }
            rows = busy
        }
        let notFinite = rows.reduce(0) { n, row in
            n + row.cells.filter { if case .number(let v?, _) = $0 { !v.isFinite } else { false } }.count
        }
        if notFinite > 0 {
            let note = "\(notFinite) \(notFinite == 1 ? "value is" : "values are") not a number (NaN or ±Inf), shown as –"
            footnote = footnote.map { $0 + "\n" + note } ?? note
        }
        if rows.isEmpty, footnote == nil, let empty = definition.empty {
            let info = empty.info.flatMap { memo.evaluate($0, slots: 1).first }
            footnote = info.map { LabelTemplate.fill(empty.text, from: [$0.labels], includeSource: false) } ?? empty.otherwise
        }
        let sortColumn = ui.sortColumn.map { min($0, definition.columns.count - 1) } ?? definition.sortColumn
        let descending = ui.sortColumn == nil ? definition.sortDescending : ui.sortDescending
        rows.sort { TableOrder.precedes($0, $1, column: sortColumn, descending: descending) }
        let columns = definition.columns.map { c -> TableColumn in
            if case .value = c.content, c.names == nil { return TableColumn(title: c.title, width: c.width, alignRight: true) }
            return TableColumn(title: c.title, width: c.width, alignRight: false)
        }
        return (TableModel(columns: columns, rows: rows, sortColumn: sortColumn, sortDescending: descending,
                           selectedKey: ui.selectedKey, footnote: footnote), rowLabels)
    }

    /// Which result each row reads in each column: made once per layout of the store, unless
    /// the rows are a top K, which change with the values.
    private func rowPlan(_ results: [[QueryResult]], first: Int) -> RowPlan {
        let make = {
            var indexed = results.map(RowIndex.init)
            let rows = results[first].map { result -> RowPlan.Row? in
                guard let labels = identity(of: result) else { return nil }
                return RowPlan.Row(labels: labels, key: labels.map(\.value).joined(separator: "/"),
                                   matches: indexed.indices.map { indexed[$0].match(labels) })
            }
            return RowPlan(rows: rows, counts: results.map(\.count))
        }
        let queries = definition.columns.map { column -> Query? in
            guard case .value(let query, _, _) = column.content else { return nil }
            return query
        }
        guard queries[first]?.topK == nil else { return make() }
        let key = RowPlan.Key(queries: queries, rowKey: definition.rowKey, window: ui.windowSlots)
        return memo.store.plans.plan(key, layout: memo.store.layoutToken, fits: { $0.counts == results.map(\.count) }, make: make)
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

    private func cell(_ column: ColumnDefinition, match: QueryResult?, row: [PrometheusSample.Label],
                      info: [PrometheusSample.Label]) -> TableCell {
        switch column.content {
        case .text(let template, let prefixSource):
            let text = LabelTemplate.fill(template, from: [row, info], includeSource: false)
            guard prefixSource, multipleSources, let source = row.first(where: { $0.name == Query.sourceLabel }) else {
                return .text(text)
            }
            return .text("\(source.value)/\(text)")
        case .value(_, _, let reduction) where column.names != nil:
            let names = column.names!
            // A code outside the list shows as the number, rather than as nothing.
            guard let code = match.flatMap(reduction.apply), code.isFinite else { return .text("") }
            return .text(Int(exactly: code).flatMap { names.indices.contains($0) ? names[$0] : nil } ?? code.jsonText)
        case .value(let query, let unit, let reduction):
            let name = match?[label: Query.nameLabel] ?? query.metric
            return .number(match.flatMap(reduction.apply), ui.shown(unit.resolved(forMetric: name, rate: query.rate)))
        }
    }

    /// Whether the row's `fade.label` (a label, or the text of the column with that id) is one
    /// of the fading values.
    private func faded(_ sets: [[PrometheusSample.Label]], _ cells: [TableCell]) -> Bool {
        guard let fade = definition.fade else { return false }
        if let column = definition.columns.firstIndex(where: { $0.id == fade.label }), case .text(let text) = cells[column] {
            return fade.values.contains(text)
        }
        let value = sets.lazy.compactMap { $0.first { $0.name == fade.label }?.value }.first
        return value.map(fade.values.contains) ?? false
    }
}

/// Per row (a result of the table's first query column, nil when it lacks a `rowKey` label):
/// its labels, its key and the index of the result it reads in each column.
struct RowPlan: Sendable {
    struct Row: Sendable {
        let labels: [PrometheusSample.Label]
        let key: String
        let matches: [Int?]
    }

    /// What a plan is made for: the columns' queries, the row key and the window (a column's
    /// span, and so its evaluation, may follow the window).
    struct Key: Hashable, Sendable {
        let queries: [Query?]
        let rowKey: [String]?
        let window: Int
    }

    let rows: [Row?]
    /// Results per column when the plan was made: it is used only on results of these counts.
    let counts: [Int]
}

/// Row order: by the sort column (numbers by value, text numerically when both sides are
/// numbers so stream 9 comes before 10), gaps last whichever way, ties by key so rows never jump.
enum TableOrder {
    static func precedes(_ a: TableRow, _ b: TableRow, column: Int, descending: Bool) -> Bool {
        let (x, y) = (a.cells[column], b.cells[column])
        // A cell without a figure is not a small value: it goes last in either direction.
        switch (isGap(x), isGap(y)) {
        case (false, true): return true
        case (true, false): return false
        default: break
        }
        switch compare(x, y) {
        case .some(let less) where descending: return !less
        case .some(let less): return less
        case nil: return NaturalOrder.less(a.key, b.key)
        }
    }

    /// true: a before b ascending; false: b before a; nil: equal.
    private static func compare(_ a: TableCell, _ b: TableCell) -> Bool? {
        if let x = value(a), let y = value(b) { return x == y ? nil : x < y }
        let (s, t) = (text(a), text(b))
        if s == t { return nil }
        if let x = Double(s), let y = Double(t) { return x < y }
        return NaturalOrder.less(s, t)
    }

    private static func isGap(_ cell: TableCell) -> Bool {
        if case .number(nil, _) = cell { return true }
        return false
    }

    private static func value(_ cell: TableCell) -> Double? {
        switch cell {
        case .number(let v, _): v
        case .estimate(let v, _): v
        case .text: nil
        }
    }

    private static func text(_ cell: TableCell) -> String {
        if case .text(let s) = cell { return s }
        return ""
    }
}

/// A column's results found by a row's labels: the result with exactly the row's values, else
/// the first whose labels agree with the row's (every row label the result also has carries the
/// same value). An exact match always wins: `x{a="1"}` must never show for the row of
/// `x{a="1",b="2"}` (a row is identified by its whole label set). Every result is looked up by
/// its values in a dictionary, not scanned per row: a result lacking some row labels (a
/// per-stream state for rows per stream and direction) by the values of the row labels it has.
struct RowIndex {
    private let results: [QueryResult]
    private var byValues: [[String]: Int] = [:]
    /// Results with every row label and more (`x{a,b}` for the row `x{a}`): used only when no
    /// result has exactly the row's labels, the first with the row's values.
    private var wider: [[String]: Int] = [:]
    /// Results lacking a label some row has, by which row labels they have (a mask over the
    /// row's names) and then by those labels' values: the first such result per values.
    private var partial: [(has: [Bool], first: [[String]: Int])] = []
    private var rowNames: [String]?

    init(_ results: [QueryResult]) {
        self.results = results
    }

    /// The index of the result with the row's values, else of the first (in result order) that
    /// agrees with `row`.
    mutating func match(_ row: [PrometheusSample.Label]) -> Int? {
        let names = row.map(\.name)
        if rowNames != names { build(names) }
        let values = row.map(\.value)
        if let e = byValues[values] ?? wider[values] { return e }
        let agreeing = partial.compactMap { mask in
            mask.first[values.indices.filter { mask.has[$0] }.map { values[$0] }]
        }
        return agreeing.min()
    }

    private mutating func build(_ names: [String]) {
        rowNames = names
        byValues = [:]
        wider = [:]
        partial = []
        for (i, result) in results.enumerated() {
            let values = names.map { result[label: $0] }
            if values.allSatisfy({ $0 != nil }) {
                let key = values.map { $0! }
                if result.labels.count == names.count {
                    if byValues[key] == nil { byValues[key] = i }
                } else if wider[key] == nil {
                    wider[key] = i
                }
            } else {
                let has = values.map { $0 != nil }
                let key = values.compactMap { $0 }
                if let m = partial.firstIndex(where: { $0.has == has }) {
                    if partial[m].first[key] == nil { partial[m].first[key] = i }
                } else {
                    partial.append((has, [key: i]))
                }
            }
        }
    }

    /// Whether every label of `row` that `labels` also has carries the same value.
    static func agrees(_ labels: [PrometheusSample.Label], with row: [PrometheusSample.Label]) -> Bool {
        row.allSatisfy { label in labels.first { $0.name == label.name }.map { $0.value == label.value } ?? true }
    }
}
