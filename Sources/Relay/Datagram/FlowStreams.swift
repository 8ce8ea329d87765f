import Logging
import Telemetry

/// Which stream and direction each frame is counted under: the flow table plus one stream
/// record per table slot.
///
/// Per frame this parses headers, looks the flow up and hands back that flow-direction's
/// counters: no lock, no allocation, no text. Only a new flow opens a stream (the registry's
/// lock, its labels formatted once); a flow evicted from the table is retired by closing its
/// stream, which then stays visible for the closed-stream retention like a TCP stream.
///
/// Direction: for IP flows, `c2s` is from the flow's client (its first sender, see
/// `FlowTable`). Frames without IP endpoints (ARP, other ethertypes, frames cut before the
/// addresses) have no client, so their direction is the relay side they travel: `c2s` from
/// the first port (the VMM side) to the second.
final class FlowStreams {
    /// Held through a pointer (allocated once) so the per-frame lookup needs no runtime
    /// exclusivity check, as a class's stored `var` would.
    private let table: UnsafeMutablePointer<FlowTable>
    /// Indexed by slot; the last entry is the overflow slot's stream, opened on first use.
    /// These own the records; `hot` is what a frame reads.
    private var records: [StreamRecord?]
    /// Per slot, both directions' counters (`2 × slot` is c2s), unretained: a frame reaches its
    /// counters without a retain and release. Valid while `records` holds the stream.
    private let hot: UnsafeMutablePointer<Unmanaged<DirectionCounters>?>
    private let registry: StreamRegistry
    private let logger: Logger

    init(capacity: Int, idleTimeoutMicros: UInt64, registry: StreamRegistry, logger: Logger) {
        table = .allocate(capacity: 1)
        table.initialize(to: FlowTable(capacity: capacity, idleTimeout: .microseconds(Int64(clamping: idleTimeoutMicros))))
        records = Array(repeating: nil, count: capacity + 1)
        hot = .allocate(capacity: 2 * (capacity + 1))
        hot.initialize(repeating: nil, count: 2 * (capacity + 1))
        self.registry = registry
        self.logger = logger
    }

    deinit {
        table.deinitialize(count: 1)
        table.deallocate()
        hot.deallocate()
    }

    /// The counters for `frame`, which travels in relay direction `side`: unretained, valid
    /// until the next call that may retire a flow (`counters`, `housekeep`, `closeAll`); a
    /// caller that keeps them longer takes a strong reference.
    @inline(__always)
    func counters(for frame: UnsafeRawBufferPointer, side: Direction, nowMicros: UInt64) -> Unmanaged<DirectionCounters> {
        let key = FrameParser.parse(frame)
        let entry = table.pointee.lookup(key, nowMicros: nowMicros)
        if case .existing = entry.event, hot[2 * entry.slot] != nil {} else { arrive(entry, key) }
        let direction = key.source == .none ? side : entry.direction
        let counters = hot[2 * entry.slot + direction.rawValue].unsafelyUnwrapped
        if let defect = key.frameDefect {
            counters._withUnsafeGuaranteedRef { $0.recordDefect(defect) }
        }
        return counters
    }

    /// A frame of a flow that has no stream yet (new, replacing an idle one, or the first to
    /// overflow): opens it, off the per-frame path.
    @inline(never)
    private func arrive(_ entry: FlowTable.Entry, _ key: FlowKey) {
        switch entry.event {
        case .existing, .inserted:
            open(entry.slot, key)
        case .replaced(let old):
            retire(entry.slot, old)
            open(entry.slot, key)
            publishCounts()
        case .overflow:
            if records[entry.slot] == nil { openOverflow(entry.slot) }
            publishCounts()
        }
    }

    /// Retires flows idle for the timeout and publishes the table's counts; run once a second.
    func housekeep(nowMicros: UInt64) {
        table.pointee.removeIdle(nowMicros: nowMicros) { slot, key in retire(slot, key) }
        publishCounts()
    }

    /// Two relaxed stores: cheap enough for every overflow frame, so a scrape is never behind.
    private func publishCounts() {
        registry.setFlowTableCounts(evicted: table.pointee.evictedCount, overflowFrames: table.pointee.overflowCount)
    }

    /// Closes every flow's stream (the relay is stopping).
    func closeAll() {
        publishCounts()
        for case let record? in records { registry.set(record, to: .closed) }
    }

    private func keep(_ record: StreamRecord, at slot: Int) {
        records[slot] = record
        hot[2 * slot] = .passUnretained(record.c2s)
        hot[2 * slot + 1] = .passUnretained(record.s2c)
    }

    private func open(_ slot: Int, _ key: FlowKey) {
        let record = registry.open(key.identity())
        keep(record, at: slot)
        logger.debug("stream \(record.identity.id): new flow \(key)")
    }

    private func openOverflow(_ slot: Int) {
        let capacity = table.pointee.capacity
        let record = registry.open(StreamIdentity(id: 0, proto: "overflow", local: "", peer: "",
                                                  flow: "flows beyond the table's \(capacity)"))
        keep(record, at: slot)
        logger.warning("flow table full (\(capacity) flows): further new flows are counted under stream \(record.identity.id)")
    }

    private func retire(_ slot: Int, _ key: FlowKey) {
        guard let record = records[slot] else { return }
        registry.set(record, to: .closed)
        records[slot] = nil
        hot[2 * slot] = nil
        hot[2 * slot + 1] = nil
        logger.debug("stream \(record.identity.id): flow \(key) idle, closed")
    }
}
