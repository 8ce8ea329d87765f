extension CellBuffer {
    /// The cells that differ from `previous`, row by row, so a terminal backend redraws only
    /// what changed (idle CPU near zero). A size change means everything is redrawn.
    public func changes(since previous: CellBuffer) -> [(x: Int, y: Int, cell: Cell)] {
        let sameSize = previous.width == width && previous.height == height
        var result: [(x: Int, y: Int, cell: Cell)] = []
        for y in 0..<height {
            for x in 0..<width where !sameSize || previous[x, y] != self[x, y] {
                result.append((x, y, self[x, y]))
            }
        }
        return result
    }
}
