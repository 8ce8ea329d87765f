/// X-axis labels for a chart whose newest slot is at the right edge: `now`, then ages on
/// round steps (`-30s`, `-1m`, `-2m30s`) spaced far enough apart to read.
struct TimeAxis: Widget {
    /// Seconds one cell column stands for.
    var secondsPerColumn: Double

    private static let steps: [Double] = [0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200]
    private static let minimumSpacing = 10.0

    func render(into buffer: inout CellBuffer, area line: Rect, symbols: SymbolSet) {
        let now = "now"
        var leftmost = buffer.put(now, x: line.maxX - now.count, y: line.y, maxWidth: line.width) - now.count
        guard secondsPerColumn > 0, secondsPerColumn.isFinite else { return }
        let step = Self.steps.first { $0 / secondsPerColumn >= Self.minimumSpacing } ?? Self.steps.last!
        var age = step
        while true {
            let column = line.width - 1 - Int((age / secondsPerColumn + 1e-9).rounded(.down))
            guard column >= 0 else { return }
            let label = "-" + Self.text(age)
            let start = line.x + column - label.count / 2
            if start >= line.x, start + label.count < leftmost {
                leftmost = buffer.put(label, x: start, y: line.y) - label.count
            }
            age += step
        }
    }

    static func text(_ seconds: Double) -> String {
        let whole = Int(seconds.rounded())
        if seconds < 60 || Double(whole) != seconds {
            return DecimalText.fixed(seconds, decimals: 1, trimZeros: true) + "s"
        }
        if whole % 3600 == 0 { return "\(whole / 3600)h" }
        if whole % 60 == 0 { return "\(whole / 60)m" }
        return "\(whole / 60)m\(whole % 60)s"
    }
}
