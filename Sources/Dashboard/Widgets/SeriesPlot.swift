/// Draws one series onto a canvas, one slot per dot column, newest slot at the right edge.
struct SeriesPlot {
    var values: [Double?]
    var color: ColorName
    /// The value drawn on the top dot row.
    var top: Double

    /// Consecutive points are joined by a vertical run in the later column, so steep changes stay
    /// one connected line; a nil (or non-finite) value is a gap: no dot, and no join across it.
    func draw(on canvas: inout DotCanvas) {
        let offset = canvas.dotColumns - values.count
        var previous: Int?
        for (index, value) in values.enumerated() {
            guard let value, value.isFinite else {
                previous = nil
                continue
            }
            let y = dotRow(value, rows: canvas.dotRows)
            let from = previous.map { $0 < y ? $0 + 1 : ($0 > y ? $0 - 1 : y) } ?? y
            for dot in min(from, y)...max(from, y) {
                canvas.set(x: offset + index, y: dot, color: color)
            }
            previous = y
        }
    }

    /// 0 on the bottom row, `top` on the highest.
    private func dotRow(_ value: Double, rows: Int) -> Int {
        let fraction = min(max(value / top, 0), 1)
        return Int((fraction * Double(rows - 1)).rounded())
    }
}
