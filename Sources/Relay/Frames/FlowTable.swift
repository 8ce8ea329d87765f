import Telemetry

/// Assigns each flow a stream slot out of a fixed number, so a frame relay can keep per-flow
/// counters in plain arrays without growing with whatever a guest sends.
///
/// Both directions of a connection share a slot (keys are stored `canonical`). The direction
/// rule: whoever sent the first frame the table sees of a flow is the client, so that frame
/// and every later one from the same side is `c2s`, the replies `s2c`. For a TCP connection
/// seen from its SYN that is the connecting side; for one already running when the relay
/// started it may be the server.
///
/// Bounded: at most `capacity` flows. A new flow takes a free slot, else the least recently
/// seen flow's slot if that flow has been idle for `idleTimeout` (an eviction), else the
/// shared `overflowSlot`: its frames are still counted there, and `overflowCount` says how
/// many went that way. Lookups allocate nothing: the index is sized for `capacity` up front
/// and the recency list lives inside the preallocated slots.
///
/// Time is the caller's monotonic clock in microseconds (`Clocks.monotonicMicros()` in the
/// relay, plain numbers in tests). One event loop owns a table; it is not thread-safe.
struct FlowTable {
    /// Where one frame's counts go.
    struct Entry: Equatable {
        /// `0..<capacity` for a tracked flow, `overflowSlot` for the rest.
        let slot: Int
        /// In the overflow slot, which has no first frame to go by: `c2s` from the smaller
        /// endpoint to the larger (see `FlowKey.canonical`).
        let direction: Direction
        let event: Event
    }

    enum Event: Equatable {
        case existing
        /// The flow took a slot nobody held before (or since `removeIdle` freed it).
        case inserted
        /// The flow took the slot of this idle flow, which the caller should retire.
        case replaced(FlowKey)
        /// The table was full of active flows; counted under `overflowSlot`.
        case overflow
    }

    struct Slot {
        var key: FlowKey
        var lastSeenMicros: UInt64
        /// `canonical.swapped` of the flow's first frame: frames with the same value are c2s.
        var clientSwapped: Bool
        /// Neighbours in the recency list (-1 at either end).
        var older = -1, newer = -1
    }

    let capacity: Int
    let idleTimeoutMicros: UInt64
    /// Frames counted under `overflowSlot` because the table was full.
    private(set) var overflowCount: UInt64 = 0
    /// Flows dropped from the table after `idleTimeout` without a frame.
    private(set) var evictedCount: UInt64 = 0

    private var index: [FlowKey: Int] = [:]
    /// Internal (not private) only for the recency list in `FlowTable+Recency.swift`.
    var slots: [Slot]
    private var freeSlots: [Int]
    /// Ends of the recency list of occupied slots.
    var oldest = -1, newest = -1
    /// The slot the last lookup found, whose key is compared before the dictionary is asked:
    /// frames come in runs of one flow (a TCP window, a burst of datagrams), and a compare of
    /// two keys costs a fraction of hashing one. Cleared when its slot is released.
    private var lastFound: Int?

    init(capacity: Int = 4096, idleTimeout: Duration = .seconds(60)) {
        precondition(capacity > 0, "a flow table needs at least one slot")
        self.capacity = capacity
        let (seconds, attoseconds) = idleTimeout.components
        idleTimeoutMicros = UInt64(seconds) * 1_000_000 + UInt64(attoseconds / 1_000_000_000_000)
        index.reserveCapacity(capacity)
        slots = Array(repeating: Slot(key: FlowKey(kind: .unknown), lastSeenMicros: 0, clientSwapped: false),
                      count: capacity)
        freeSlots = Array((0..<capacity).reversed())
    }

    /// The slot shared by all flows that found the table full ("other flows").
    var overflowSlot: Int { capacity }

    /// Flows tracked now.
    var count: Int { index.count }

    /// The flow in `slot`, or nil for a free slot and the overflow slot.
    func key(at slot: Int) -> FlowKey? {
        // A free slot still holds its last key, but the index no longer points back to it.
        slot < capacity && index[slots[slot].key] == slot ? slots[slot].key : nil
    }

    /// Finds or makes the slot of the frame's flow and tells which direction the frame goes.
    mutating func lookup(_ frameKey: FlowKey, nowMicros: UInt64) -> Entry {
        let (key, swapped) = frameKey.canonical
        if let slot = lastFound, slots[slot].key == key {
            slots[slot].lastSeenMicros = nowMicros
            markNewest(slot)
            return Entry(slot: slot, direction: direction(slot, swapped), event: .existing)
        }
        if let slot = index[key] {
            lastFound = slot
            slots[slot].lastSeenMicros = nowMicros
            markNewest(slot)
            return Entry(slot: slot, direction: direction(slot, swapped), event: .existing)
        }
        if let slot = freeSlots.popLast() {
            occupy(slot, key, swapped, nowMicros)
            return Entry(slot: slot, direction: .c2s, event: .inserted)
        }
        if isIdle(oldest, nowMicros) {
            let slot = oldest
            let old = release(slot)
            occupy(slot, key, swapped, nowMicros)
            return Entry(slot: slot, direction: .c2s, event: .replaced(old))
        }
        overflowCount += 1
        return Entry(slot: overflowSlot, direction: swapped ? .s2c : .c2s, event: .overflow)
    }

    /// Frees the slots of all flows idle for `idleTimeout`, oldest first, handing each to
    /// `retire` (so the relay can close its stream) before the slot is reused. Run it from a
    /// timer so idle flows close even when the table never fills.
    mutating func removeIdle(nowMicros: UInt64, _ retire: (_ slot: Int, _ key: FlowKey) -> Void) {
        while isIdle(oldest, nowMicros) {
            let slot = oldest
            retire(slot, release(slot))
            freeSlots.append(slot)
        }
    }

    private func direction(_ slot: Int, _ swapped: Bool) -> Direction {
        swapped == slots[slot].clientSwapped ? .c2s : .s2c
    }

    private func isIdle(_ slot: Int, _ nowMicros: UInt64) -> Bool {
        slot >= 0 && nowMicros >= slots[slot].lastSeenMicros &+ idleTimeoutMicros
    }

    private mutating func occupy(_ slot: Int, _ key: FlowKey, _ swapped: Bool, _ nowMicros: UInt64) {
        slots[slot] = Slot(key: key, lastSeenMicros: nowMicros, clientSwapped: swapped)
        index[key] = slot
        linkNewest(slot)
    }

    /// Takes an idle flow out of the index and the recency list; returns its key.
    private mutating func release(_ slot: Int) -> FlowKey {
        evictedCount += 1
        if lastFound == slot { lastFound = nil }
        index[slots[slot].key] = nil
        unlink(slot)
        return slots[slot].key
    }
}
