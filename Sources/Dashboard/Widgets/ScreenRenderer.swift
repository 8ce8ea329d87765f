/// Draws a whole frame of bptop from its `ScreenModel`: header, panels on the grid, a status
/// line and the help overlay. Pure: the same model and size always give the same cells, which
/// is what lets the terminal backend redraw only the difference and tests snapshot screens.
public struct ScreenRenderer: Sendable {
    public static let minimumWidth = 40
    public static let minimumHeight = 10
    static let keyHints = "q quit  ? help  s sort  b bits/bytes  space pause"

    /// Wall-clock text for "disconnected since" (UTC `HH:MM:SS` unless the executable knows better).
    public var timeOfDay: @Sendable (Double) -> String

    public init(timeOfDay: @escaping @Sendable (Double) -> String = ClockText.utcTimeOfDay) {
        self.timeOfDay = timeOfDay
    }

    public func render(_ model: ScreenModel, width: Int, height: Int, symbols: SymbolSet) -> CellBuffer {
        var buffer = CellBuffer(width: width, height: height)
        guard buffer.width >= Self.minimumWidth, buffer.height >= Self.minimumHeight else {
            let message = "terminal too small: \(buffer.width)x\(buffer.height) (need \(Self.minimumWidth)x\(Self.minimumHeight))"
            for (y, line) in message.wrapped(to: buffer.width).prefix(buffer.height).enumerated() {
                buffer.put(line, x: 0, y: y, maxWidth: buffer.width)
            }
            return buffer
        }
        let screen = buffer.area
        HeaderView(header: model.header, paused: model.paused, timeOfDay: timeOfDay)
            .render(into: &buffer, area: Rect(x: 0, y: 0, width: screen.width, height: 2), symbols: symbols)
        let body = Rect(x: 0, y: 2, width: screen.width, height: screen.height - 3)
        for (panel, rect) in GridLayout.place(model.panels, in: body) {
            PanelView(panel: panel).render(into: &buffer, area: rect, symbols: symbols)
        }
        buffer.put(model.status ?? Self.keyHints, x: 0, y: screen.maxY - 1,
                   style: Style(dim: model.status == nil), maxWidth: screen.width)
        if model.showHelp {
            // Over the panels only: the header (sources, totals) stays readable behind the help.
            HelpOverlay(bindings: model.keys == .replay ? KeyHelp.replay : KeyHelp.default, legend: KeyHelp.columns).render(into: &buffer, area: body, symbols: symbols)
        }
        if symbols.asciiOnly {
            buffer.mapCells { Cell(symbols.displayable($0.character), style: $0.style) }
        }
        return buffer
    }
}
