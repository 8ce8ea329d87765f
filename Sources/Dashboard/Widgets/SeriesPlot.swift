/// Draws one series onto a canvas: each value at the dot column of its time (`now` at the right
/// edge, `secondsPerDot` per column), consecutive values joined by a line.
struct SeriesPlot {
    var values: [Double?]
    var times: [Double]
    var color: ColorName
    /// The value drawn on the top dot row.
    var top: Double
    var now: Double
    var secondsPerDot: Double

    /// The dot column of time `t` (negative: left of the plot).
    static func column(_ t: Double, now: Double, secondsPerDot: Double, columns: Int) -> Int {
        columns - 1 - Int(((now - t) / secondsPerDot).rounded())
    }

    /// A nil (or non-finite) value is a gap: no dot, and no join across it. Between two points
    /// every column gets the interpolated row, joined vertically, so the line stays connected
    /// however far apart the points are drawn.
    func draw(on canvas: inout DotCanvas) {
        var previous: (x: Int, y: Int)?
        for (value, time) in zip(values, times) {
            guard let value, value.isFinite else {
                previous = nil
                continue
            }
            let x = Self.column(time, now: now, secondsPerDot: secondsPerDot, columns: canvas.dotColumns)
            let y = dotRow(value, rows: canvas.dotRows)
            guard let p = previous, x > p.x else {
                canvas.set(x: x, y: y, color: color)
                previous = (x, y)
                continue
            }
            var lastY = p.y
            for column in (p.x + 1)...x {
                let row = p.y + Int((Double(y - p.y) * Double(column - p.x) / Double(x - p.x)).rounded())
                let from = lastY < row ? lastY + 1 : (lastY > row ? lastY - 1 : row)
                for dot in min(from, row)...max(from, row) { canvas.set(x: column, y: dot, color: color) }
                lastY = row
            }
            previous = (x, y)
        }
    }

    /// 0 on the bottom row, `top` on the highest.
    private func dotRow(_ value: Double, rows: Int) -> Int {
        let fraction = min(max(value / top, 0), 1)
        return Int((fraction * Double(rows - 1)).rounded())
    }
}
