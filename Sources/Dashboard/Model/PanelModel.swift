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

/// A time chart. Every point sits at its own wall-clock time: the x axis ends at `now` and
/// spans `spanSeconds`, so a source that stopped shows a gap up to now, and two sources that
/// scrape at different moments (the agent, iperf3's intervals) line up by time, not by slot.
public struct ChartModel: Equatable, Sendable {
    public var unit: DisplayUnit
    public var series: [ChartSeries]
    /// The times of slots with a buffer-full event (drawn as marks under the plot).
    public var markers: [Double]
    /// Seconds one slot stands for (the scrape interval).
    public var slotSeconds: Double
    /// The wall-clock time at the right edge.
    public var now: Double
    /// Seconds from the left edge to `now`: the window, or less while the window is not full.
    public var spanSeconds: Double
    /// Extra text for the panel's title line ("stall p99 1.2 ms, max 12.7 ms").
    public var note: String?

    public init(unit: DisplayUnit, series: [ChartSeries], markers: [Double] = [], slotSeconds: Double,
                now: Double, spanSeconds: Double, note: String? = nil) {
        self.unit = unit
        self.series = series
        self.markers = markers
        self.slotSeconds = slotSeconds
        self.now = now
        self.spanSeconds = spanSeconds
        self.note = note
    }
}

public struct ChartSeries: Equatable, Sendable {
    public var name: String
    /// Oldest first; nil is a gap (no data), drawn as nothing — never as zero.
    public var values: [Double?]
    /// The wall-clock time of each value.
    public var times: [Double]
    public var color: ColorName

    public init(name: String, values: [Double?], times: [Double], color: ColorName) {
        self.name = name
        self.values = values
        self.times = times
        self.color = color
    }
}

/// A table with a header row, a sort column and an optional selected row.
public struct TableModel: Equatable, Sendable {
    public var columns: [TableColumn]
    /// Already sorted; widgets draw them in this order.
    public var rows: [TableRow]
    /// The last `pinnedRows` rows (a summary's `[SUM]` totals) stay on screen under the others,
    /// which scroll: totals are what a glance is for.
    public var pinnedRows: Int
    public var sortColumn: Int
    public var sortDescending: Bool
    public var selectedKey: String?
    /// Lines under the table, separated by newlines ("3 iperf3 streams not matched: 5, 7, 9").
    public var footnote: String?

    public init(columns: [TableColumn], rows: [TableRow], pinnedRows: Int = 0, sortColumn: Int = 0, sortDescending: Bool = false,
                selectedKey: String? = nil, footnote: String? = nil) {
        self.columns = columns
        self.rows = rows
        self.pinnedRows = pinnedRows
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
    /// A figure the source rounded (iperf3's text output prints `5.89 GBytes`): shown to the
    /// precision it has, after `~`, and sorted by value.
    case estimate(Double, DisplayUnit)

    /// What goes before an estimate: iperf3's reports have always written rounded bytes this way.
    public static let estimateMark = "~"
}
