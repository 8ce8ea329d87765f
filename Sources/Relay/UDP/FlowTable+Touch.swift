extension FlowTable {
    /// Marks the flow in `slot` as seen now, without a lookup: the UDP relay knows a stream's
    /// slot from the socket a datagram arrived on, and touches it once per readiness event.
    mutating func touch(_ slot: Int, nowMicros: UInt64) {
        guard slot < capacity else { return }
        lastSeenMicros[slot] = nowMicros
        markNewest(slot)
    }
}
