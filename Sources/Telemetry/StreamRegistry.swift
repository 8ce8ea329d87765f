import Synchronization

/// One stream's identity, life state and the counters of both directions.
public final class StreamRecord: Sendable {
    public let identity: StreamIdentity
    public let openedAtMicros: UInt64
    /// Towards the connect side.
    public let c2s = DirectionCounters()
    /// Towards the accepting side.
    public let s2c = DirectionCounters()
    let stateRaw: Atomic<UInt8>
    let closedAtMicros = Atomic<UInt64>(0)

    init(identity: StreamIdentity, state: StreamState, openedAtMicros: UInt64) {
        self.identity = identity
        self.openedAtMicros = openedAtMicros
        self.stateRaw = Atomic(state.rawValue)
    }

    public var state: StreamState { StreamState(rawValue: stateRaw.load(ordering: .acquiring)) ?? .failed }

    public func counters(_ direction: Direction) -> DirectionCounters {
        direction == .c2s ? c2s : s2c
    }

    func snapshot() -> StreamSnapshot {
        let closed = closedAtMicros.load(ordering: .relaxed)
        return StreamSnapshot(
            identity: identity, state: state, openedAtMicros: openedAtMicros,
            closedAtMicros: closed == 0 ? nil : closed, c2s: c2s.snapshot(), s2c: s2c.snapshot())
    }
}

/// `c2s` flows from the accepting side towards the connect side; `s2c` the other way.
public enum Direction: Int, CaseIterable, Sendable {
    case c2s = 0, s2c = 1
    public var label: String { self == .c2s ? "c2s" : "s2c" }
}

/// The set of streams an agent exports, open ones and recently closed ones.
///
/// The lock is taken when a stream opens, when old closed streams are pruned and when a
/// snapshot copies the list of records; never per packet.
public final class StreamRegistry: Sendable {
    public let startTimeMicros: UInt64
    private let records = Mutex<[StreamRecord]>([])
    private let nextID = Atomic<UInt64>(1)
    private let streamsTotal = Atomic<UInt64>(0)
    private let connectFailures = Atomic<UInt64>(0)
    private let streamErrors = Atomic<UInt64>(0)
    private let flowsEvicted = Atomic<UInt64>(0)
    private let flowOverflowFrames = Atomic<UInt64>(0)

    public init(startTimeMicros: UInt64 = Clocks.wallMicros()) {
        self.startTimeMicros = startTimeMicros
    }

    /// Registers a new stream; `identity.id` is replaced by a fresh id.
    public func open(_ identity: StreamIdentity, state: StreamState = .open,
                     nowMicros: UInt64 = Clocks.wallMicros()) -> StreamRecord {
        var identity = identity
        identity.id = nextID.wrappingAdd(1, ordering: .relaxed).oldValue
        let record = StreamRecord(identity: identity, state: state, openedAtMicros: nowMicros)
        if state.isFinished { record.closedAtMicros.store(nowMicros, ordering: .relaxed) }
        records.withLock { $0.append(record) }
        streamsTotal.wrappingAdd(1, ordering: .relaxed)
        return record
    }

    /// Moves a stream to `state`; finishing states stamp the close time (once).
    public func set(_ record: StreamRecord, to state: StreamState, nowMicros: UInt64 = Clocks.wallMicros()) {
        if state.isFinished, !record.state.isFinished {
            record.closedAtMicros.store(nowMicros, ordering: .relaxed)
            if state != .closed { streamErrors.wrappingAdd(1, ordering: .relaxed) }
        }
        // Releasing: a reader that sees a finished state also sees its close time.
        record.stateRaw.store(state.rawValue, ordering: .releasing)
    }

    /// Publishes a datagram relay's flow-table counts (one writer: the relay's loop).
    public func setFlowTableCounts(evicted: UInt64, overflowFrames: UInt64) {
        flowsEvicted.store(evicted, ordering: .relaxed)
        flowOverflowFrames.store(overflowFrames, ordering: .relaxed)
    }

    public func countConnectFailure() {
        connectFailures.wrappingAdd(1, ordering: .relaxed)
    }

    /// Forgets finished streams closed `retentionMicros` or longer ago, then, while more than
    /// `maxFinished` finished streams remain, the ones closed longest ago, so memory stays
    /// bounded on a long-running agent.
    public func prune(nowMicros: UInt64, retentionMicros: UInt64, maxFinished: Int) {
        records.withLock { list in
            // `now - closedAt`, not `closedAt + retention`: `.max` means "keep forever" and must not trap.
            list.removeAll { r in
                guard r.state.isFinished else { return false }
                let closedAt = r.closedAtMicros.load(ordering: .relaxed)
                return nowMicros >= closedAt && nowMicros - closedAt >= retentionMicros
            }
            let finished = list.indices.filter { list[$0].state.isFinished }
            let excess = finished.count - max(maxFinished, 0)
            guard excess > 0 else { return }
            let evicted = Set(finished.sorted {
                list[$0].closedAtMicros.load(ordering: .relaxed) < list[$1].closedAtMicros.load(ordering: .relaxed)
            }.prefix(excess))
            list = list.indices.filter { !evicted.contains($0) }.map { list[$0] }
        }
    }

    /// Copies every value without stopping the writers.
    public func snapshot(nowMicros: UInt64 = Clocks.wallMicros()) -> MetricsSnapshot {
        let list = records.withLock { $0 }
        var streams: [StreamSnapshot] = []
        streams.reserveCapacity(list.count)
        var open: UInt64 = 0
        for r in list {
            let s = r.snapshot()
            if !s.state.isFinished { open += 1 }
            streams.append(s)
        }
        let agent = AgentSnapshot(
            startTimeMicros: startTimeMicros, takenAtMicros: nowMicros, streamsOpen: open,
            streamsTotal: streamsTotal.load(ordering: .relaxed),
            connectFailures: connectFailures.load(ordering: .relaxed),
            streamErrors: streamErrors.load(ordering: .relaxed),
            flowsEvicted: flowsEvicted.load(ordering: .relaxed),
            flowOverflowFrames: flowOverflowFrames.load(ordering: .relaxed))
        return MetricsSnapshot(agent: agent, streams: streams)
    }
}
