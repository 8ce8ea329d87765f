/// Where a panel sits: columns of a 12-wide grid, and rows whose heights are weights of the
/// space left below the header (so the layout stretches with the terminal).
public struct GridPlacement: Equatable, Sendable {
    public var row: Int
    public var column: Int
    public var width: Int
    /// Relative height of this panel's row; a row takes the largest weight of its panels.
    public var heightWeight: Int
    /// Rows never shrink below this many terminal lines (borders included) when there is room.
    public var minHeight: Int

    public init(row: Int, column: Int = 0, width: Int = 12, heightWeight: Int = 1, minHeight: Int = 4) {
        self.row = row
        self.column = column
        self.width = width
        self.heightWeight = heightWeight
        self.minHeight = minHeight
    }
}
