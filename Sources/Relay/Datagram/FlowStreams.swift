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
    private var table: FlowTable
    /// Indexed by slot; the last entry is the overflow slot's stream, opened on first use.
    private var records: [StreamRecord?]
    private let registry: StreamRegistry
    private let logger: Logger

    init(capacity: Int, idleTimeoutMicros: UInt64, registry: StreamRegistry, logger: Logger) {
        table = FlowTable(capacity: capacity, idleTimeout: .microseconds(Int64(clamping: idleTimeoutMicros)))
        records = Array(repeating: nil, count: capacity + 1)
        self.registry = registry
        self.logger = logger
    }

    /// The counters for `frame`, which travels in relay direction `side`.
    func counters(for frame: UnsafeRawBufferPointer, side: Direction, nowMicros: UInt64) -> DirectionCounters {
        let key = FrameParser.parse(frame)
        let entry = table.lookup(key, nowMicros: nowMicros)
        let record: StreamRecord
        switch entry.event {
        case .existing:
            record = records[entry.slot] ?? open(entry.slot, key)
        case .inserted:
            record = open(entry.slot, key)
        case .replaced(let old):
            retire(entry.slot, old)
            record = open(entry.slot, key)
            publishCounts()
        case .overflow:
            record = records[entry.slot] ?? openOverflow(entry.slot)
            publishCounts()
        }
        let direction = key.source == .none ? side : entry.direction
        let counters = record.counters(direction)
        if let defect = key.frameDefect { counters.recordDefect(defect) }
        return counters
    }

    /// Retires flows idle for the timeout and publishes the table's counts; run once a second.
    func housekeep(nowMicros: UInt64) {
        table.removeIdle(nowMicros: nowMicros) { slot, key in retire(slot, key) }
        publishCounts()
    }

    /// Two relaxed stores: cheap enough for every overflow frame, so a scrape is never behind.
    private func publishCounts() {
        registry.setFlowTableCounts(evicted: table.evictedCount, overflowFrames: table.overflowCount)
    }

    /// Closes every flow's stream (the relay is stopping).
    func closeAll() {
        publishCounts()
        for case let record? in records { registry.set(record, to: .closed) }
    }

    private func open(_ slot: Int, _ key: FlowKey) -> StreamRecord {
        let record = registry.open(key.identity())
        records[slot] = record
        logger.debug("stream \(record.identity.id): new flow \(key)")
        return record
    }

    private func openOverflow(_ slot: Int) -> StreamRecord {
        let record = registry.open(StreamIdentity(id: 0, proto: "overflow", local: "", peer: "",
                                                  flow: "flows beyond the table's \(table.capacity)"))
        records[slot] = record
        logger.warning("flow table full (\(table.capacity) flows): further new flows are counted under stream \(record.identity.id)")
        return record
    }

    private func retire(_ slot: Int, _ key: FlowKey) {
        guard let record = records[slot] else { return }
        registry.set(record, to: .closed)
        records[slot] = nil
        logger.debug("stream \(record.identity.id): flow \(key) idle, closed")
    }
}
