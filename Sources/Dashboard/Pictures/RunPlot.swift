/// `bptop plot` and `compare -o`: a run's charts as an SVG picture for a pull request — title
/// with the command and a one-line summary per direction; throughput per direction (iperf3's,
/// and the agent's dotted) with buffer-full events marked under it on the shared time axis;
/// the backpressure panel (events/s and retries/s on the left axis, stall p99 and max on the
/// right); legends and axis units. Two runs (compare) are overlaid on a time axis relative to
/// each run's start: the first dashed, the second solid.
public enum RunPlot {
    public struct Options: Sendable {
        public var width: Int
        /// Also draw the `streams` busiest streams' throughput (`--streams top8`); 0: none.
        public var streams: Int

        public init(width: Int = 1200, streams: Int = 0) {
            self.width = width
            self.streams = streams
        }
    }

    /// An SVG document and its size in pixels.
    public struct Picture: Sendable {
        public let svg: String
        public let width: Int
        public let height: Int
    }

    /// `runs`: one run (label nil), or compare's before and after with their labels.
    public static func picture(_ runs: [(label: String?, run: MeasuredRun)], options: Options = Options()) -> Picture {
        let w = Double(options.width)
        let left = 86.0, right = 86.0
        let plotWidth = w - left - right
        var header: [(String, Bool)] = []
        for (label, run) in runs {
            let what = ([run.title, run.started.map { "started \($0)" }, ValueFormatter.string(run.seconds, unit: .seconds)] as [String?])
                .compactMap { $0 }.joined(separator: " · ")
            header.append(((label.map { "\($0): " } ?? "") + what, true))
            header += run.headlines.map { ($0, false) }
        }
        let headerHeight = 20 + Double(header.count) * 19
        let throughputTop = headerHeight + 34, throughputHeight = 280.0
        let markerTop = throughputTop + throughputHeight + 6
        let pressureTop = markerTop + 12 + 34, pressureHeight = 200.0
        let height = Int(pressureTop + pressureHeight + 52)
        var canvas = SVGCanvas(width: options.width, height: height)
        for (i, line) in header.enumerated() {
            canvas.text(line.0, left, 24 + Double(i) * 19, className: line.1 ? "fg" : "dim", size: line.1 ? 15 : 13, bold: line.1)
        }

        let compare = runs.count > 1
        let span = max(runs.map { r in max(r.run.seconds, r.run.directions.flatMap(allPoints).map(\.time).max() ?? 0) }.max() ?? 1, 1)
        // A 600 s run measures 600.0003 s: that must not add an empty step to the axis.
        let xTicks = AxisTicks(maximum: span * 0.998, intervals: 10, factor: 1).values
        func x(_ t: Double) -> Double { left + plotWidth * min(max(t / xTicks.last!, 0), 1) }

        // Throughput.
        var lines: [Line] = []
        for (index, entry) in runs.enumerated() {
            let dashed = compare && index == 0
            for d in entry.run.directions {
                let color = Palette.direction(d.dir)
                let prefix = entry.label.map { "\($0) " } ?? ""
                if !d.iperf3Throughput.isEmpty {
                    lines.append(Line(name: "\(prefix)iperf3 \(d.dir)", color: color, points: d.iperf3Throughput, dashed: dashed))
                }
                if !d.agentThroughput.filter({ $0.value != nil }).isEmpty && (!compare || d.iperf3Throughput.isEmpty) {
                    lines.append(Line(name: "\(prefix)agent \(d.dir)", color: color, points: d.agentThroughput, dashed: dashed, dotted: !compare, width: 1.5))
                }
            }
        }
        if !compare, options.streams > 0, let run = runs.first?.run {
            let top = run.directions.flatMap(\.streams).sorted { $0.mean > $1.mean }.prefix(options.streams)
            for (i, s) in top.enumerated() {
                lines.append(Line(name: s.name, color: Palette.streams[i % Palette.streams.count], points: s.points, width: 1))
            }
        }
        let throughputMax = lines.flatMap { $0.points.compactMap(\.value) }.max() ?? 0
        panel(&canvas, title: "Throughput", unit: .bitsPerSecond, top: throughputTop, height: throughputHeight, left: left, width: plotWidth,
              max: throughputMax, lines: lines, x: x, xTicks: xTicks, rightUnit: nil, rightLines: [], rightMax: 0)

        // Buffer-full markers on the shared axis.
        canvas.text("buffer-full", left - 8, markerTop + 9, className: "dim", anchor: .end, size: 11)
        for (index, entry) in runs.enumerated() {
            for d in entry.run.directions {
                for p in d.bufferFullRate where (p.value ?? 0) > 0 {
                    // Compare: the first run's marks in the upper half of the strip, the second's below.
                    canvas.marker(x(p.time), markerTop + (compare && index > 0 ? 5 : 0), compare ? 5 : 10,
                                  color: index == 0 ? Palette.events : Palette.eventsAfter)
                }
            }
        }

        // Backpressure.
        var counts: [Line] = [], stalls: [Line] = []
        for (index, entry) in runs.enumerated() {
            let dashed = compare && index == 0
            let prefix = entry.label.map { "\($0) " } ?? ""
            let dirs = entry.run.directions.count > 1
            for d in entry.run.directions {
                let suffix = dirs ? " \(d.dir)" : ""
                let wide = d.dir == "c2s" ? 2.0 : 1.25
                counts.append(Line(name: "\(prefix)events/s\(suffix)", color: Palette.events, points: d.bufferFullRate, dashed: dashed, width: wide))
                counts.append(Line(name: "\(prefix)retries/s\(suffix)", color: Palette.retries, points: d.retriesRate, dashed: dashed, width: wide))
                stalls.append(Line(name: "\(prefix)stall p99\(suffix)", color: Palette.stallP99, points: d.stallP99, dashed: dashed, width: wide))
                stalls.append(Line(name: "\(prefix)stall max\(suffix)", color: Palette.stallMax, points: d.stallMax, dashed: dashed, width: wide))
            }
        }
        counts = counts.filter { $0.points.contains { $0.value != nil } }
        stalls = stalls.filter { $0.points.contains { $0.value != nil } }
        panel(&canvas, title: "Backpressure", unit: .perSecond, top: pressureTop, height: pressureHeight, left: left, width: plotWidth,
              max: counts.flatMap { $0.points.compactMap(\.value) }.max() ?? 0, lines: counts, x: x, xTicks: xTicks,
              rightUnit: .seconds, rightLines: stalls, rightMax: stalls.flatMap { $0.points.compactMap(\.value) }.max() ?? 0)
        if counts.isEmpty && stalls.isEmpty {
            canvas.text("no agent series over time (the agent was read once: its figures are in the title)", left + plotWidth / 2,
                        pressureTop + pressureHeight / 2, className: "dim", anchor: .middle)
        }
        for t in xTicks {
            canvas.text(ValueFormatter.tick(t, unit: .seconds), x(t), pressureTop + pressureHeight + 18, className: "dim", anchor: .middle, size: 11)
        }
        canvas.text(compare ? "time since each run's start" : "time since the run's start", left + plotWidth / 2,
                    pressureTop + pressureHeight + 40, className: "dim", anchor: .middle, size: 12)
        return Picture(svg: canvas.document, width: options.width, height: height)
    }

    private static func allPoints(_ d: RunDirection) -> [RunPoint] {
        d.iperf3Throughput + d.agentThroughput + d.bufferFullRate
    }

    /// A line to draw and its legend entry.
    struct Line {
        var name: String
        var color: String
        var points: [RunPoint]
        var dashed = false
        var dotted = false
        var width = 2.0
    }

    static func panel(_ canvas: inout SVGCanvas, title: String, unit: DisplayUnit, top: Double, height: Double, left: Double,
                      width: Double, max: Double, lines: [Line], x: (Double) -> Double, xTicks: [Double],
                      rightUnit: DisplayUnit?, rightLines: [Line], rightMax: Double) {
        canvas.text(title, left, top - 14, size: 14, bold: true)
        // Legend, left to right after the title.
        var lx = left + Double(title.count) * 9 + 24
        for line in lines + rightLines {
            canvas.swatch(lx, top - 18, color: line.color, dashed: line.dashed || line.dotted)
            canvas.text(line.name, lx + 27, top - 14, size: 12)
            lx += 27 + Double(line.name.count) * 7.2 + 16
        }
        canvas.rect(left, top, width, height, className: "frame")
        let yTicks = AxisTicks(maximum: max, intervals: 5, factor: unit == .bitsPerSecond ? 8 : 1).values
        func y(_ v: Double, _ top: Double, _ limit: Double) -> Double { top + height - height * Swift.min(Swift.max(v / limit, 0), 1) }
        for v in yTicks {
            canvas.line(left, y(v, top, yTicks.last!), left + width, y(v, top, yTicks.last!), className: "grid")
            canvas.text(ValueFormatter.tick(v, unit: unit), left - 8, y(v, top, yTicks.last!) + 4, className: "dim", anchor: .end, size: 11)
        }
        for t in xTicks { canvas.line(x(t), top, x(t), top + height, className: "grid") }
        canvas.text(axisTitle(unit), 18, top + height / 2, className: "dim", anchor: .middle, size: 12, rotate: true)
        for line in lines {
            canvas.path(line.points.map { p in p.value.map { (x(p.time), y($0, top, yTicks.last!)) } }, stroke: line.color,
                        width: line.width, dashed: line.dashed || line.dotted)
        }
        guard let rightUnit, !rightLines.isEmpty else { return }
        let rightTicks = AxisTicks(maximum: rightMax, intervals: 5, factor: 1).values
        for v in rightTicks {
            canvas.text(ValueFormatter.tick(v, unit: rightUnit), left + width + 8, y(v, top, rightTicks.last!) + 4, className: "dim", size: 11)
        }
        canvas.text(axisTitle(rightUnit), left + width + 74, top + height / 2, className: "dim", anchor: .middle, size: 12, rotate: true)
        for line in rightLines {
            canvas.path(line.points.map { p in p.value.map { (x(p.time), y($0, top, rightTicks.last!)) } }, stroke: line.color,
                        width: line.width, dashed: line.dashed)
        }
    }

    private static func axisTitle(_ unit: DisplayUnit) -> String {
        switch unit {
        case .bitsPerSecond: "throughput (bit/s)"
        case .perSecond: "events, retries (1/s)"
        case .seconds: "stall (s)"
        default: unit.rawValue
        }
    }
}
