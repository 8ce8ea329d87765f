/// What the user chose with keys; the model builder applies it to every frame.
public struct UIState: Equatable, Sendable {
    /// Index of the table column to sort by; nil: the dashboard's own sort.
    public var sortColumn: Int?
    public var sortDescending: Bool
    /// The selected table row's key (moves with arrows/jk).
    public var selectedKey: String?
    /// The row Enter focused: charts with `focus` queries add that row's series.
    public var focusedStream: String?
    /// Byte rates in bits/s (the default, like iperf3) or bytes/s (`b`).
    public var showBits: Bool
    /// Slots shown: the chart width in scrapes and the window for averages and quantiles.
    public var windowSlots: Int
    /// Table rows whose idle column is zero are shown too (`i`); hidden by default.
    public var showIdle: Bool
    public var paused: Bool
    public var showHelp: Bool
    public var status: String?

    public init(sortColumn: Int? = nil, sortDescending: Bool = true, selectedKey: String? = nil,
                focusedStream: String? = nil, showBits: Bool = true, windowSlots: Int = 60, showIdle: Bool = false,
                paused: Bool = false, showHelp: Bool = false, status: String? = nil) {
        self.sortColumn = sortColumn
        self.sortDescending = sortDescending
        self.selectedKey = selectedKey
        self.focusedStream = focusedStream
        self.showBits = showBits
        self.windowSlots = windowSlots
        self.showIdle = showIdle
        self.paused = paused
        self.showHelp = showHelp
        self.status = status
    }

    /// A byte-rate unit as the user wants it shown; other units are unchanged.
    func shown(_ unit: DisplayUnit) -> DisplayUnit {
        switch unit {
        case .bitsPerSecond, .bytesPerSecond: showBits ? .bitsPerSecond : .bytesPerSecond
        default: unit
        }
    }
}
