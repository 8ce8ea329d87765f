/// What the live loop must do after a key.
public enum KeyEffect: Equatable, Sendable {
    case none
    case redraw
    case quit
    /// Scrape at this interval from now on.
    case setInterval(millis: Int)
}

/// What a key needs to know about the screen it acts on.
public struct KeyContext: Sendable {
    /// Row keys of the table, in the order shown.
    public var rowKeys: [String]
    /// The table's column titles, for naming the sort column.
    public var columnTitles: [String]
    public var intervalMillis: Int

    public init(rowKeys: [String], columnTitles: [String], intervalMillis: Int) {
        self.rowKeys = rowKeys
        self.columnTitles = columnTitles
        self.intervalMillis = intervalMillis
    }
}

extension UIState {
    /// Scrape intervals `+`/`-` step through, in milliseconds.
    public static let intervalSteps = [100, 200, 500, 1000, 2000, 5000, 10_000]
    /// Windows `[`/`]` step through, in slots; the store keeps the largest.
    public static let windowSteps = [30, 60, 120, 300]

    /// Applies one key in the style of htop/btop and says what the loop must do.
    public mutating func handle(_ key: Key, _ context: KeyContext) -> KeyEffect {
        if showHelp {
            switch key {
            case .char("q"), .ctrlC: return .quit
            case .escape, .char("?"), .f1, .char("h"):
                showHelp = false
                return .redraw
            default: return .none
            }
        }
        switch key {
        case .char("q"), .ctrlC: return .quit
        case .char("?"), .f1, .char("h"): showHelp = true
        case .up, .char("k"): moveSelection(by: -1, context.rowKeys)
        case .down, .char("j"): moveSelection(by: 1, context.rowKeys)
        case .pageUp: moveSelection(by: -10, context.rowKeys)
        case .pageDown: moveSelection(by: 10, context.rowKeys)
        case .home: selectedKey = context.rowKeys.first
        case .end: selectedKey = context.rowKeys.last
        case .enter:
            focusedStream = selectedKey
            status = selectedKey.map { "focused on \($0) (Esc: back)" }
        case .escape:
            focusedStream = nil
            status = nil
        case .char(" "), .char("p"):
            paused.toggle()
            status = paused ? "display paused (collection goes on)" : nil
        case .char("+"), .char("-"):
            let next = Self.step(Self.intervalSteps, from: context.intervalMillis, up: key == .char("+"))
            status = "interval \(next) ms"
            return .setInterval(millis: next)
        case .char("["), .char("]"):
            windowSlots = Self.step(Self.windowSteps, from: windowSlots, up: key == .char("]"))
            let seconds = Double(windowSlots * context.intervalMillis) / 1000
            status = "window \(ClockText.duration(seconds)) (\(windowSlots) samples)"
        case .char("s"):
            guard !context.columnTitles.isEmpty else { return .none }
            sortColumn = ((sortColumn ?? -1) + 1) % context.columnTitles.count
            status = sortStatus(context)
        case .char("S"):
            guard !context.columnTitles.isEmpty else { return .none }
            sortColumn = sortColumn ?? 0
            sortDescending.toggle()
            status = sortStatus(context)
        case .char("i"):
            showIdle.toggle()
            status = showIdle ? "idle rows shown (i: hide)" : "idle rows hidden (i: show)"
        case .char("b"):
            showBits.toggle()
            status = showBits ? "rates in bits/s" : "rates in bytes/s"
        case .resize: break
        default: return .none
        }
        return .redraw
    }

    /// "sorted by agent now ▼" (▼ highest first).
    private func sortStatus(_ context: KeyContext) -> String {
        let title = context.columnTitles[min(sortColumn ?? 0, context.columnTitles.count - 1)]
        return "sorted by \(title) \(sortDescending ? "▼" : "▲")"
    }

    private mutating func moveSelection(by delta: Int, _ keys: [String]) {
        guard !keys.isEmpty else { selectedKey = nil; return }
        guard let current = selectedKey, let i = keys.firstIndex(of: current) else {
            selectedKey = delta > 0 ? keys.first : keys.last
            return
        }
        selectedKey = keys[min(max(i + delta, 0), keys.count - 1)]
    }

    /// The next value of `steps` above (or below) `value`, staying at the ends.
    static func step(_ steps: [Int], from value: Int, up: Bool) -> Int {
        if up { return steps.first { $0 > value } ?? steps.last! }
        return steps.last { $0 < value } ?? steps.first!
    }
}
