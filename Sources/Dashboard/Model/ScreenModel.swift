/// Everything one frame of bptop shows, computed from the collected data and the UI state.
/// Widgets turn it into cells; nothing here knows about terminals.
public struct ScreenModel: Equatable, Sendable {
    public var header: HeaderModel
    public var panels: [PanelModel]
    /// The help overlay is drawn over everything else when true.
    public var showHelp: Bool
    /// Which keys the help overlay lists: the live view's, or a replay's.
    public var keys: KeySet = .live
    /// Shown in the header when the display is paused (collection goes on).
    public var paused: Bool
    /// A transient one-line status ("interval 500 ms", "sorted by retries/s").
    public var status: String?

    public init(header: HeaderModel, panels: [PanelModel], showHelp: Bool = false, paused: Bool = false, status: String? = nil) {
        self.header = header
        self.panels = panels
        self.showHelp = showHelp
        self.paused = paused
        self.status = status
    }
}

/// The key bindings a screen answers to, for its help overlay.
public enum KeySet: Sendable {
    case live, replay
}

/// The top lines: where data comes from, whether it is arriving, and headline numbers.
public struct HeaderModel: Equatable, Sendable {
    public var title: String
    public var sources: [SourceStatus]
    public var stats: [Stat]

    public init(title: String, sources: [SourceStatus], stats: [Stat]) {
        self.title = title
        self.sources = sources
        self.stats = stats
    }
}

/// A labelled number; nil shows as "–" (no data yet, or a gap).
public struct Stat: Equatable, Sendable {
    public var label: String
    public var value: Double?
    public var unit: DisplayUnit
    public var color: ColorName

    public init(label: String, value: Double?, unit: DisplayUnit, color: ColorName = .default) {
        self.label = label
        self.value = value
        self.unit = unit
        self.color = color
    }
}
