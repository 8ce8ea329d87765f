/// A dashboard: header numbers and panels on a 12-column grid, each fed by queries.
/// Loaded from a JSON file by `DashboardDefinition(json:file:)`, whose doc comment gives the format.
public struct DashboardDefinition: Equatable, Sendable {
    public var title: String
    var header: [StatDefinition]
    var panels: [PanelDefinition]
    /// `"thresholds"`: checked at the end of a run shown with this dashboard, with `--threshold`'s.
    public var thresholds: [ThresholdExpression] = []
}

/// How a query's slots become one number.
enum Reduction: String, CaseIterable, Sendable {
    /// The newest slot.
    case current
    /// The window's value: average rate, quantile of all observations, or mean.
    case average
    case max

    /// The slots a query needs for this reduction: the newest alone for `current` (a rate
    /// still uses the slot before it); the window's figure without per-slot values for
    /// `average`. Each spares evaluating every slot of the window for every row.
    func span(window: Int) -> (slots: Int, perSlot: Bool) {
        switch self {
        case .current: (1, true)
        case .average: (window, false)
        case .max: (window, true)
        }
    }

    func apply(_ result: QueryResult) -> Double? {
        switch self {
        case .current: result.current
        case .average: result.average
        case .max: result.max
        }
    }
}

/// A colour that applies from `value` upwards (the highest threshold reached wins).
struct Threshold: Equatable, Sendable {
    var value: Double
    var color: ColorName
}

/// One labelled number: a header stat, a stats-panel entry or a chart note.
struct StatDefinition: Equatable, Sendable {
    var label: String
    var unit: DisplayUnit
    var color: ColorName
    var query: Query
    var value: Reduction
    var thresholds: [Threshold]
}

/// A query drawn as chart lines; `name` may hold `{label}` placeholders.
struct NamedQuery: Equatable, Sendable {
    var name: String
    var color: ColorName
    var query: Query
}

struct PanelDefinition: Equatable, Sendable {
    enum Kind: Equatable, Sendable {
        case chart(ChartDefinition)
        case table(TableDefinition)
        case stats([StatDefinition])
        case text(String)
        /// iperf3's streams joined with the agent's, live and as the end-of-run summary.
        case iperf3(Iperf3Columns)
    }
    var title: String
    var placement: GridPlacement
    var kind: Kind
}

struct ChartDefinition: Equatable, Sendable {
    var unit: DisplayUnit
    var queries: [NamedQuery]
    /// Drawn only while a table row is focused, restricted to that row's labels.
    var focus: [NamedQuery]
    /// A slot gets a marker when this query's sum is above zero there.
    var markers: Query?
    /// Numbers appended to the title line ("stall p99 1.2 ms").
    var notes: [StatDefinition]
}

struct TableDefinition: Equatable, Sendable {
    /// The labels that identify a row; nil: every series of the first query column is a row.
    var rowKey: [String]?
    /// Series whose labels fill `{label}` text of the rows they share labels with (an `_info` metric).
    var info: Query?
    var columns: [ColumnDefinition]
    var sortColumn: Int
    var sortDescending: Bool
    var fade: FadeRule?
    /// The column whose value tells an idle row (zero or no figure over the window): such rows
    /// are hidden until the user asks for them (`i`), so the half of a `--bidir` connection that
    /// carries nothing does not push the busy streams off the screen.
    var idleColumn: Int?
    /// What an empty table says instead of nothing.
    var empty: EmptyTableText?
}

/// The line an empty table shows: `text` filled from the first series of `info` (the agent's
/// listen address, say), else `otherwise` — so an idle screen tells the user what to do next.
struct EmptyTableText: Equatable, Sendable {
    var text: String
    var info: Query?
    var otherwise: String
}

struct ColumnDefinition: Equatable, Sendable {
    var title: String
    /// The field name in `bptop --once --json`.
    var id: String
    var width: Int
    var content: Content
    /// A query column whose value is a code (`bpagent_stream_state`): the name shown for each
    /// code, 0 first, so the cell is text (and `--once --json` gives the name).
    var names: [String]? = nil

    enum Content: Equatable, Sendable {
        /// `{label}` placeholders filled from the row's labels, then the info series';
        /// `{__series__}` is the row's series as `name{labels}`.
        case text(String, prefixSource: Bool)
        case value(Query, DisplayUnit, Reduction)
    }
}

/// Rows whose `label` has one of `values` are drawn faded (closed streams).
struct FadeRule: Equatable, Sendable {
    var label: String
    var values: [String]
}
