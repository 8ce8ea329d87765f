/// Places panels on a 12-column grid in the space below the header. Rows share the height by
/// weight, each keeps its minimum height when there is room, and rows that cannot get their
/// minimum are left out (the lowest first) rather than squashed into unreadable slivers.
enum GridLayout {
    static let columns = 12

    /// Each panel that is shown, with its rectangle.
    static func place(_ panels: [PanelModel], in area: Rect) -> [(panel: PanelModel, rect: Rect)] {
        let rows = Dictionary(grouping: panels, by: \.placement.row).sorted { $0.key < $1.key }.map(\.value)
        var minimums = rows.map { $0.map(\.placement.minHeight).max()! }
        var weights = rows.map { max(1, $0.map(\.placement.heightWeight).max()!) }
        while minimums.reduce(0, +) > area.height, !minimums.isEmpty {
            minimums.removeLast()
            weights.removeLast()
        }
        var y = area.y
        return zip(rows, heights(weights: weights, minimums: minimums, total: area.height)).flatMap { row, height in
            defer { y += height }
            return row.compactMap { panel in
                let rect = columnsRect(panel.placement, in: Rect(x: area.x, y: y, width: area.width, height: height))
                return rect.isEmpty ? nil : (panel, rect)
            }
        }
    }

    /// Heights proportional to `weights` summing to `total`; a row whose share falls below its
    /// minimum is given the minimum and the rest is shared again among the others.
    static func heights(weights: [Int], minimums: [Int], total: Int) -> [Int] {
        var fixed = [Int?](repeating: nil, count: weights.count)
        while true {
            let free = weights.indices.filter { fixed[$0] == nil }
            let room = total - fixed.compactMap { $0 }.reduce(0, +)
            let shares = proportional(free.map { weights[$0] }, total: max(0, room))
            let short = zip(free, shares).filter { index, share in share < minimums[index] }
            if short.isEmpty {
                for (index, share) in zip(free, shares) { fixed[index] = share }
                return fixed.map { $0 ?? 0 }
            }
            for (index, _) in short { fixed[index] = minimums[index] }
        }
    }

    /// Splits `total` by weight using cumulative rounding, so the parts add up exactly.
    private static func proportional(_ weights: [Int], total: Int) -> [Int] {
        let sum = max(1, weights.reduce(0, +))
        var cumulative = 0, previousEdge = 0
        return weights.map { weight in
            cumulative += weight
            let edge = (total * cumulative + sum / 2) / sum
            defer { previousEdge = edge }
            return edge - previousEdge
        }
    }

    /// The panel's columns of the grid within its row's rectangle.
    private static func columnsRect(_ placement: GridPlacement, in row: Rect) -> Rect {
        let first = min(max(0, placement.column), columns)
        let last = min(max(first, placement.column + placement.width), columns)
        let left = row.x + row.width * first / columns
        let right = row.x + row.width * last / columns
        return Rect(x: left, y: row.y, width: right - left, height: row.height)
    }
}
