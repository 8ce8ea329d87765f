/// A slot's neighbours in the recency list (-1 at either end).
struct RecencyLinks {
    var older: Int32 = -1
    var newer: Int32 = -1
}

/// The recency list: occupied slots linked from `oldest` to `newest` through `links`, so
/// finding the flow that has been idle longest is O(1) and touching a flow on every frame
/// moves three links instead of allocating. The links are 8 bytes a slot, apart from the
/// keys, so relinking touches few cache lines.
extension FlowTable {
    @inline(__always)
    mutating func markNewest(_ slot: Int) {
        guard slot != Int(newest) else { return }
        unlink(slot)
        linkNewest(slot)
    }

    mutating func linkNewest(_ slot: Int) {
        links[slot] = RecencyLinks(older: newest, newer: -1)
        if newest >= 0 { links[Int(newest)].newer = Int32(slot) } else { oldest = Int32(slot) }
        newest = Int32(slot)
    }

    mutating func unlink(_ slot: Int) {
        let link = links[slot]
        if link.older >= 0 { links[Int(link.older)].newer = link.newer } else { oldest = link.newer }
        if link.newer >= 0 { links[Int(link.newer)].older = link.older } else { newest = link.older }
    }
}
