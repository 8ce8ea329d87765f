/// One panel of a dashboard, placed on the dashboard's grid.
public struct PanelModel: Equatable, Sendable {
    public enum Content: Equatable, Sendable {
        case chart(ChartModel)
        case table(TableModel)
        case stats([Stat])
        case text(String)
    }
    public var title: String
    public var content: Content
    public var placement: GridPlacement

    public init(title: String, content: Content, placement: GridPlacement) {
        self.title = title
        self.content = content
        self.placement = placement
    }
}

/// A time chart: one value per time slot for each series, oldest first, newest at the right.
public struct ChartModel: Equatable, Sendable {
    public var unit: DisplayUnit
    public var series: [ChartSeries]
    /// Per slot: whether a buffer-full event happened then (drawn as a mark under the plot).
    public var markers: [Bool]
    /// Seconds one slot stands for (the scrape interval).
    public var slotSeconds: Double
    /// Extra text for the panel's title line ("stall p99 1.2 ms, max 12.7 ms").
    public var note: String?

    public init(unit: DisplayUnit, series: [ChartSeries], markers: [Bool] = [], slotSeconds: Double, note: String? = nil) {
        self.unit = unit
        self.series = series
        self.markers = markers
        self.slotSeconds = slotSeconds
        self.note = note
    }
}

public struct ChartSeries: Equatable, Sendable {
    public var name: String
    /// Oldest first; nil is a gap (no data), drawn as nothing — never as zero.
    public var values: [Double?]
    public var color: ColorName

    public init(name: String, values: [Double?], color: ColorName) {
        self.name = name
        self.values = values
        self.color = color
    }
}

/// A table with a header row, a sort column and an optional selected row.
public struct TableModel: Equatable, Sendable {
    public var columns: [TableColumn]
    /// Already sorted; widgets draw them in this order.
    public var rows: [TableRow]
    public var sortColumn: Int
    public var sortDescending: Bool
    public var selectedKey: String?
    /// Lines under the table, separated by newlines ("3 iperf3 streams not matched: 5, 7, 9").
    public var footnote: String?

    public init(columns: [TableColumn], rows: [TableRow], sortColumn: Int = 0, sortDescending: Bool = false,
                selectedKey: String? = nil, footnote: String? = nil) {
        self.columns = columns
        self.rows = rows
        self.sortColumn = sortColumn
        self.sortDescending = sortDescending
        self.selectedKey = selectedKey
        self.footnote = footnote
    }
}

public struct TableColumn: Equatable, Sendable {
    public var title: String
    /// Preferred width in cells; widgets may shrink text columns when space is short.
    public var width: Int
    public var alignRight: Bool

    public init(title: String, width: Int, alignRight: Bool) {
        self.title = title
        self.width = width
        self.alignRight = alignRight
    }
}

public struct TableRow: Equatable, Sendable {
    /// Stable identity for selection across refreshes (e.g. "agent1/17/c2s").
    public var key: String
    public var cells: [TableCell]
    /// Closed streams are drawn dim.
    public var faded: Bool

    public init(key: String, cells: [TableCell], faded: Bool = false) {
        self.key = key
        self.cells = cells
        self.faded = faded
    }
}

public enum TableCell: Equatable, Sendable {
    case text(String)
    /// nil shows as "–".
    case number(Double?, DisplayUnit)

    /// What sorting compares: numbers by value (nil lowest), text by string.
    public var sortKey: (Double?, String) {
        switch self {
        case .text(let s): (nil, s)
        case .number(let v, _): (v, "")
        }
    }
}
