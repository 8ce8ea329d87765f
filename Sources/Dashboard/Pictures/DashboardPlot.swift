/// `bptop plot RECORDING --dashboard NAME`: the dashboard's own charts over the whole recorded
/// run, one under the other on a shared time axis, each with its title, unit and legend — the
/// panels a user watched, as a picture for a pull request. The charts come from the same
/// `ModelBuilder` the live view uses, with a window as long as the run.
public enum DashboardPlot {
    public static func picture(title: String, charts: [(title: String, chart: ChartModel)], width: Int) -> RunPlot.Picture {
        let left = 86.0, plotWidth = Double(width) - left - 86
        let start = charts.flatMap { $0.chart.series.flatMap(\.times) }.filter(\.isFinite).min() ?? 0
        let end = charts.map(\.chart.now).max() ?? start
        let xTicks = AxisTicks(maximum: Swift.max(end - start, 1) * 0.998, intervals: 10, factor: 1).values
        func x(_ t: Double) -> Double { left + plotWidth * Swift.min(Swift.max(t / xTicks.last!, 0), 1) }
        let chartHeight = 240.0, step = chartHeight + 84, top0 = 78.0
        let height = Int(top0 + Double(charts.count) * step + 24)
        var canvas = SVGCanvas(width: width, height: height)
        canvas.text(title, left, 28, size: 15, bold: true)
        if charts.isEmpty {
            canvas.text("this dashboard has no charts", left + plotWidth / 2, top0, className: "dim", anchor: .middle)
        }
        for (i, entry) in charts.enumerated() {
            let top = top0 + Double(i) * step
            let lines = entry.chart.series.enumerated().map { j, s in
                RunPlot.Line(name: s.name, color: color(s.color, index: j),
                             points: zip(s.times, s.values).map { RunPoint(time: $0 - start, value: $1) })
            }
            let highest = lines.flatMap { $0.points.compactMap(\.value) }.max() ?? 0
            RunPlot.panel(&canvas, title: entry.title, unit: entry.chart.unit, top: top, height: chartHeight, left: left,
                          width: plotWidth, max: highest, lines: lines, x: x, xTicks: xTicks, rightUnit: nil, rightLines: [], rightMax: 0)
            for t in xTicks {
                canvas.text(ValueFormatter.tick(t, unit: .seconds), x(t), top + chartHeight + 18, className: "dim", anchor: .middle, size: 11)
            }
        }
        canvas.text("time since the run's start", left + plotWidth / 2, Double(height) - 8, className: "dim", anchor: .middle, size: 12)
        return RunPlot.Picture(svg: canvas.document, width: width, height: height)
    }

    /// A dashboard colour as one that reads on GitHub's light and dark backgrounds alike
    /// (`white` and `default` would vanish on one of them: they take the next stream colour).
    private static func color(_ name: ColorName, index: Int) -> String {
        switch name {
        case .red: Palette.events
        case .green: Palette.direction("c2s")
        case .blue: Palette.direction("s2c")
        case .yellow: Palette.retries
        case .magenta: "#c96198"
        case .cyan: "#39c5cf"
        case .white, .default: Palette.streams[index % Palette.streams.count]
        }
    }
}
