/// The recency list: occupied slots linked from `oldest` to `newest` through their own
/// `older`/`newer` fields, so finding the flow that has been idle longest is O(1) and
/// touching a flow on every frame moves three indices instead of allocating.
extension FlowTable {
    mutating func markNewest(_ slot: Int) {
        guard slot != newest else { return }
        unlink(slot)
        linkNewest(slot)
    }

    mutating func linkNewest(_ slot: Int) {
        slots[slot].older = newest
        slots[slot].newer = -1
        if newest >= 0 { slots[newest].newer = slot } else { oldest = slot }
        newest = slot
    }

    mutating func unlink(_ slot: Int) {
        let (older, newer) = (slots[slot].older, slots[slot].newer)
        if older >= 0 { slots[older].newer = newer } else { oldest = newer }
        if newer >= 0 { slots[newer].older = older } else { newest = older }
    }
}
