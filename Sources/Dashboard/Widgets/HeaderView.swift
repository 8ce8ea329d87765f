import Telemetry
/// The two header lines: what bptop reads and whether it is arriving (line 1), and the
/// headline numbers (line 2). A stale source must be obvious, so its health is coloured.
struct HeaderView: Widget {
    var header: HeaderModel
    var paused: Bool
    /// Wall-clock text for "disconnected since"; injected so tests and local time are possible.
    var timeOfDay: @Sendable (Double) -> String

    func render(into buffer: inout CellBuffer, area: Rect, symbols: SymbolSet) {
        guard !area.isEmpty else { return }
        let spans = [Span(header.title, Style(bold: true))] + header.sources.flatMap(sourceSpans)
        buffer.put(spans, x: area.x, y: area.y, maxWidth: area.width)
        if paused {
            let label = " PAUSED "
            buffer.put(label, x: max(area.x, area.maxX - label.count), y: area.y,
                       style: Style(fg: .yellow, bold: true, reverse: true), maxWidth: area.width)
        }
        if area.height >= 2 {
            StatsLine(stats: header.stats).render(into: &buffer, area: area.line(1), symbols: symbols)
        }
    }

    private func sourceSpans(_ source: SourceStatus) -> [Span] {
        var spans = [Span("  " + source.name + " ")]
        switch source.health {
        case .ok: spans.append(Span("ok", Style(fg: .green)))
        case .waiting: spans.append(Span("waiting", Style(fg: .yellow)))
        case .disconnected(let since):
            spans.append(Span("disconnected since " + timeOfDay(since), Style(fg: .red, bold: true)))
            if let failure = source.failure { spans.append(Span(" (\(failure))", Style(fg: .red))) }
        }
        if let uptime = source.uptimeSeconds {
            spans.append(Span(" up " + ClockText.duration(uptime)))
        }
        if source.droppedSeries > 0 {
            spans.append(Span(" \(source.droppedSeries) series dropped (too many)", Style(fg: .yellow)))
        }
        if source.skippedLines > 0 {
            spans.append(Span(" \(CountText.of(source.skippedLines, "line")) skipped", Style(fg: .yellow)))
        }
        return spans
    }
}
