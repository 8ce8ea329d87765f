/// A time chart: legend on the first line, y axis with round ticks on the left, the series as
/// lines, buffer-full markers under the slots where they happened, and a time axis at the bottom.
struct LineChart: Widget {
    var chart: ChartModel

    func render(into buffer: inout CellBuffer, area: Rect, symbols: SymbolSet) {
        let hasLegend = area.height >= 4
        let hasTimeAxis = area.height >= 3
        let reserved = (hasLegend ? 1 : 0) + (hasTimeAxis ? 1 : 0)
        let hasMarkers = !chart.markers.isEmpty && area.height - reserved >= 2
        let plotHeight = area.height - reserved - (hasMarkers ? 1 : 0)
        guard plotHeight >= 1 else { return }
        let plotTop = area.y + (hasLegend ? 1 : 0)

        let maximum = visibleMaximum(area: area, symbols: symbols)
        let ticks = AxisTicks(maximum: maximum,
                              intervals: plotHeight >= 7 ? 3 : (plotHeight >= 3 ? 2 : 1),
                              factor: chart.unit == .bitsPerSecond ? 8 : 1)
        // Without data there is no scale to show: only 0, never a made-up "1 b/s".
        let labels = ticks.values.map { maximum == nil && $0 != 0 ? "" : ValueFormatter.tick($0, unit: chart.unit) }
        let labelWidth = labels.map(\.count).max() ?? 0
        let plot = Rect(x: area.x + labelWidth + 1, y: plotTop, width: area.width - labelWidth - 1, height: plotHeight)
        guard plot.width >= 1 else { return }

        var canvas = DotCanvas(columns: plot.width, rows: plot.height, symbols: symbols)
        let secondsPerDot = secondsPerDot(columns: canvas.dotColumns)
        for series in chart.series {
            SeriesPlot(values: series.values, times: series.times, color: series.color, top: ticks.top,
                       now: chart.now, secondsPerDot: secondsPerDot).draw(on: &canvas)
        }
        canvas.render(into: &buffer, x: plot.x, y: plot.y, symbols: symbols)
        if maximum == nil {
            let note = "no data yet"
            buffer.put(note, x: plot.x + max(0, (plot.width - note.count) / 2), y: plot.y + plot.height / 2,
                       style: Style(dim: true), maxWidth: plot.width)
        }

        drawYAxis(into: &buffer, plot: plot, ticks: ticks, labels: labels, symbols: symbols)
        if hasLegend { drawLegend(into: &buffer, line: Rect(x: plot.x, y: area.y, width: plot.width, height: 1)) }
        if hasMarkers {
            drawMarkers(into: &buffer, line: plot.line(plot.height), canvas: canvas, secondsPerDot: secondsPerDot, symbols: symbols)
        }
        if hasTimeAxis {
            let axis = Rect(x: plot.x, y: area.maxY - 1, width: plot.width, height: 1)
            TimeAxis(secondsPerColumn: secondsPerDot * Double(symbols.dotsAcross)).render(into: &buffer, area: axis, symbols: symbols)
        }
    }

    /// The span spread over the plot: the oldest time shown on the first dot column, now on the last.
    private func secondsPerDot(columns: Int) -> Double {
        max(chart.spanSeconds, chart.slotSeconds) / Double(max(columns - 1, 1))
    }

    /// The largest finite value within the span, so the scale follows what is on screen rather
    /// than the whole history.
    private func visibleMaximum(area: Rect, symbols: SymbolSet) -> Double? {
        let oldest = chart.now - max(chart.spanSeconds, chart.slotSeconds) - chart.slotSeconds / 2
        return chart.series.flatMap { series in
            zip(series.values, series.times).compactMap { value, time in time >= oldest ? value : nil }.filter(\.isFinite)
        }.max()
    }

    /// Labels right-aligned against an axis line, each on the row its value is drawn on.
    private func drawYAxis(into buffer: inout CellBuffer, plot: Rect, ticks: AxisTicks, labels: [String], symbols: SymbolSet) {
        let dotRows = plot.height * symbols.dotsDown
        var labelled = Set<Int>()
        for (value, label) in zip(ticks.values, labels) {
            let dot = Int((value / ticks.top * Double(dotRows - 1)).rounded())
            let row = plot.y + (dotRows - 1 - dot) / symbols.dotsDown
            guard labelled.insert(row).inserted else { continue }
            buffer.put(label, x: plot.x - 1 - label.count, y: row, style: Style(dim: true))
        }
        for y in plot.y..<plot.maxY { buffer[plot.x - 1, y] = Cell(symbols.vertical, style: Style(dim: true)) }
    }

    private func drawLegend(into buffer: inout CellBuffer, line: Rect) {
        let spans = chart.series.enumerated().map { index, series in
            Span((index == 0 ? "" : "  ") + series.name, Style(fg: series.color))
        }
        buffer.put(spans, x: line.x, y: line.y, maxWidth: line.width)
    }

    /// A red marker under the cell column of each time with a buffer-full event.
    private func drawMarkers(into buffer: inout CellBuffer, line: Rect, canvas: DotCanvas, secondsPerDot: Double,
                             symbols: SymbolSet) {
        for time in chart.markers {
            let x = SeriesPlot.column(time, now: chart.now, secondsPerDot: secondsPerDot, columns: canvas.dotColumns)
            guard x >= 0, x < canvas.dotColumns else { continue }
            buffer[line.x + x / symbols.dotsAcross, line.y] = Cell(symbols.marker, style: Style(fg: .red))
        }
    }
}
