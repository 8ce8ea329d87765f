import Dashboard
import Terminal

/// Puts one frame of a dashboard on the terminal and tells the keys what it shows (the first
/// table's rows and column titles), the same way for the live view and for replay. Only the
/// cells that changed since the frame before are drawn; a resize draws everything again.
struct ScreenPainter {
    let terminal: CursesTerminal
    let symbols: SymbolSet
    private let renderer = ScreenRenderer()
    private var shown: CellBuffer?

    init(terminal: CursesTerminal, forceASCII: Bool) {
        self.terminal = terminal
        symbols = terminal.unicode && !forceASCII ? .unicode : .ascii
    }

    mutating func paint(_ model: ScreenModel, context: inout KeyContext) {
        context.rowKeys = []
        context.columnTitles = []
        for panel in model.panels {
            if case .table(let table) = panel.content, context.columnTitles.isEmpty {
                context.rowKeys = table.rows.map(\.key)
                context.columnTitles = table.columns.map(\.title)
            }
        }
        let (width, height) = terminal.size
        let frame = renderer.render(model, width: width, height: height, symbols: symbols)
        terminal.draw(frame, previous: shown)
        shown = frame
    }

    /// The terminal changed size: the next frame is drawn whole.
    mutating func forget() { shown = nil }
}
