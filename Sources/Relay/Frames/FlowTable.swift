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
/// many went that way.
///
/// Built for one lookup per relayed frame: every array is allocated once, at `capacity`, and
/// reached through unsafe pointers held in `let`s, so a lookup allocates nothing, retains
/// nothing and needs no runtime exclusivity check; keys are compared and hashed as
/// `PackedFlowKey` words in an open-addressing index (`FlowTable+Index.swift`); the recency
/// list is two 32-bit links per slot (`FlowTable+Recency.swift`). Noncopyable: the storage has
/// one owner, freed with it.
///
/// Time is the caller's monotonic clock in microseconds (`Clocks.monotonicMicros()` in the
/// relay, plain numbers in tests). One event loop owns a table; it is not thread-safe.
struct FlowTable: ~Copyable {
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

    let capacity: Int
    let idleTimeoutMicros: UInt64
    /// Frames counted under `overflowSlot` because the table was full.
    private(set) var overflowCount: UInt64 = 0
    /// Flows dropped from the table after `idleTimeout` without a frame.
    private(set) var evictedCount: UInt64 = 0
    /// Flows tracked now.
    private(set) var count = 0

    /// Per slot, hot (read or written on every frame of the flow): the canonical key's words,
    /// when it was last seen, and the `canonical.swapped` of its first frame (frames with the
    /// same value are c2s).
    let packedKeys: UnsafeMutablePointer<PackedFlowKey>
    let lastSeenMicros: UnsafeMutablePointer<UInt64>
    let clientSwapped: UnsafeMutablePointer<Bool>
    /// Per slot, cold: the canonical key as a `FlowKey` (for `key(at:)` and `.replaced`), and
    /// whether the slot holds a flow.
    let keys: UnsafeMutablePointer<FlowKey>
    let inUse: UnsafeMutablePointer<Bool>
    /// The recency list's links, and its ends (-1: none); see `FlowTable+Recency.swift`.
    let links: UnsafeMutablePointer<RecencyLinks>
    var oldest: Int32 = -1, newest: Int32 = -1
    /// Free slots, a stack (the lowest slot on top at first).
    let freeSlots: UnsafeMutablePointer<Int32>
    var freeCount: Int
    /// The open-addressing index (see `FlowTable+Index.swift`).
    let buckets: UnsafeMutablePointer<IndexBucket>
    let bucketBits: Int
    let seed: FlowHashSeed
    /// The slot the last lookup found, whose key is compared before the index is asked:
    /// frames come in runs of one flow (a TCP window, a burst of datagrams). -1 when none.
    var lastFound = -1

    init(capacity: Int = 4096, idleTimeout: Duration = .seconds(60), seed: FlowHashSeed = .random()) {
        precondition(capacity > 0 && capacity < Int(Int32.max) / 4, "a flow table holds 1 to 2^29 flows")
        self.capacity = capacity
        let (seconds, attoseconds) = idleTimeout.components
        idleTimeoutMicros = UInt64(seconds) * 1_000_000 + UInt64(attoseconds / 1_000_000_000_000)
        self.seed = seed
        packedKeys = .allocate(capacity: capacity)
        lastSeenMicros = .allocate(capacity: capacity)
        lastSeenMicros.initialize(repeating: 0, count: capacity)
        clientSwapped = .allocate(capacity: capacity)
        clientSwapped.initialize(repeating: false, count: capacity)
        keys = .allocate(capacity: capacity)
        keys.initialize(repeating: FlowKey(kind: .unknown), count: capacity)
        packedKeys.initialize(repeating: PackedFlowKey(FlowKey(kind: .unknown)), count: capacity)
        inUse = .allocate(capacity: capacity)
        inUse.initialize(repeating: false, count: capacity)
        links = .allocate(capacity: capacity)
        links.initialize(repeating: RecencyLinks(), count: capacity)
        freeSlots = .allocate(capacity: capacity)
        for i in 0..<capacity { (freeSlots + i).initialize(to: Int32(capacity - 1 - i)) }
        freeCount = capacity
        // At least twice the slots, so probes stay short (load ≤ 1/2) and always end.
        var bits = 1
        while 1 << bits < 2 * capacity { bits += 1 }
        bucketBits = bits
        buckets = .allocate(capacity: 1 << bits)
        buckets.initialize(repeating: .empty, count: 1 << bits)
    }

    deinit {
        packedKeys.deallocate()
        lastSeenMicros.deallocate()
        clientSwapped.deallocate()
        inUse.deallocate()
        links.deallocate()
        freeSlots.deallocate()
        buckets.deallocate()
        keys.deinitialize(count: capacity)
        keys.deallocate()
    }

    /// The slot shared by all flows that found the table full ("other flows").
    var overflowSlot: Int { capacity }

    /// The flow in `slot`, or nil for a free slot and the overflow slot.
    func key(at slot: Int) -> FlowKey? {
        slot >= 0 && slot < capacity && inUse[slot] ? keys[slot] : nil
    }

    /// Finds or makes the slot of the frame's flow and tells which direction the frame goes.
    @inline(__always)
    mutating func lookup(_ frameKey: FlowKey, nowMicros: UInt64) -> Entry {
        var key = PackedFlowKey(frameKey)
        let swapped = key.endpointsDescending
        if swapped { key.swapEndpoints() }
        if lastFound >= 0 && packedKeys[lastFound] == key { return seen(lastFound, swapped, nowMicros) }
        let hash = key.hash(seed)
        switch find(key, hash: hash) {
        case .found(let slot):
            lastFound = slot
            return seen(slot, swapped, nowMicros)
        case .absent(let bucket):
            return insert(frameKey, key, hash: hash, bucket: bucket, swapped, nowMicros)
        }
    }

    @inline(__always)
    private mutating func seen(_ slot: Int, _ swapped: Bool, _ nowMicros: UInt64) -> Entry {
        lastSeenMicros[slot] = nowMicros
        markNewest(slot)
        return Entry(slot: slot, direction: swapped == clientSwapped[slot] ? .c2s : .s2c, event: .existing)
    }

    /// A flow the index does not hold: a free slot, an idle flow's slot, or the overflow slot.
    private mutating func insert(_ frameKey: FlowKey, _ key: PackedFlowKey, hash: UInt64, bucket: Int, _ swapped: Bool,
                                 _ nowMicros: UInt64) -> Entry {
        if freeCount > 0 {
            freeCount -= 1
            let slot = Int(freeSlots[freeCount])
            occupy(slot, frameKey, key, hash: hash, bucket: bucket, swapped, nowMicros)
            return Entry(slot: slot, direction: .c2s, event: .inserted)
        }
        if isIdle(Int(oldest), nowMicros) {
            let slot = Int(oldest)
            let old = release(slot)
            // Releasing moved index entries: look the empty bucket up again.
            guard case .absent(let bucket) = find(key, hash: hash) else { preconditionFailure("a released flow is still indexed") }
            occupy(slot, frameKey, key, hash: hash, bucket: bucket, swapped, nowMicros)
            return Entry(slot: slot, direction: .c2s, event: .replaced(old))
        }
        overflowCount += 1
        return Entry(slot: overflowSlot, direction: swapped ? .s2c : .c2s, event: .overflow)
    }

    /// Frees the slots of all flows idle for `idleTimeout`, oldest first, handing each to
    /// `retire` (so the relay can close its stream) before the slot is reused. Run it from a
    /// timer so idle flows close even when the table never fills.
    mutating func removeIdle(nowMicros: UInt64, _ retire: (_ slot: Int, _ key: FlowKey) -> Void) {
        while isIdle(Int(oldest), nowMicros) {
            let slot = Int(oldest)
            retire(slot, release(slot))
            freeSlots[freeCount] = Int32(slot)
            freeCount += 1
        }
    }

    private func isIdle(_ slot: Int, _ nowMicros: UInt64) -> Bool {
        slot >= 0 && nowMicros >= lastSeenMicros[slot] &+ idleTimeoutMicros
    }

    private mutating func occupy(_ slot: Int, _ frameKey: FlowKey, _ key: PackedFlowKey, hash: UInt64, bucket: Int,
                                 _ swapped: Bool, _ nowMicros: UInt64) {
        packedKeys[slot] = key
        keys[slot] = swapped ? frameKey.swappingEndpoints() : frameKey
        lastSeenMicros[slot] = nowMicros
        clientSwapped[slot] = swapped
        inUse[slot] = true
        buckets[bucket] = IndexBucket(slot: Int32(slot), tag: hashTag(hash))
        linkNewest(slot)
        count += 1
    }

    /// Takes an idle flow out of the index and the recency list; returns its key.
    private mutating func release(_ slot: Int) -> FlowKey {
        evictedCount += 1
        if lastFound == slot { lastFound = -1 }
        removeFromIndex(slot)
        unlink(slot)
        inUse[slot] = false
        count -= 1
        return keys[slot]
    }
}
