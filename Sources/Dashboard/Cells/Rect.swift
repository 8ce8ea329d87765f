/// A rectangle of cells. Sizes never go negative, so layout arithmetic that runs out of room
/// yields empty rectangles that widgets simply skip instead of trapping.
struct Rect: Equatable, Sendable {
    var x: Int
    var y: Int
    var width: Int
    var height: Int

    init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = max(0, width)
        self.height = max(0, height)
    }

    var isEmpty: Bool { width == 0 || height == 0 }
    var maxX: Int { x + width }
    var maxY: Int { y + height }

    /// The area inside a one-cell border.
    var inner: Rect { Rect(x: x + 1, y: y + 1, width: width - 2, height: height - 2) }

    /// One line of this rectangle, counted from the top.
    func line(_ index: Int) -> Rect { Rect(x: x, y: y + index, width: width, height: 1) }
}
