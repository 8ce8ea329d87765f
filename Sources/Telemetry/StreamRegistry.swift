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

/// Which streams a snapshot lists (`--export-streams`); the agent totals always cover all.
public enum StreamSelection: String, CaseIterable, Sendable {
    /// Only the agent totals: a fixed number of series however many streams come and go.
    case none
    /// Streams not finished.
    case open
    /// Open streams and finished ones still retained.
    case all
}

/// The set of streams an agent exports, open ones and recently closed ones.
///
/// The lock is taken when a stream opens, when old closed streams are pruned and when a
/// snapshot copies the list of records; never per packet.
public final class StreamRegistry: Sendable {
    public let startTimeMicros: UInt64
    /// The records, and the final counts of those pruned, changed together under one lock so a
    /// snapshot never sees a pruned stream in neither (or both) and the totals never dip.
    private struct Records {
        var list: [StreamRecord] = []
        var prunedC2S = DirectionSnapshot()
        var prunedS2C = DirectionSnapshot()

        /// Keeps a pruned stream's counts; nothing of it is queued any more.
        mutating func retire(_ record: StreamRecord) {
            for (totals, counters) in [(\Records.prunedC2S, record.c2s), (\Records.prunedS2C, record.s2c)] {
                var final = counters.snapshot()
                final.queuedBytes = 0
                self[keyPath: totals].accumulate(final)
            }
        }
    }
    private let records = Mutex<Records>(Records())
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
        records.withLock { $0.list.append(record) }
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
    /// bounded on a long-running agent. Their counts stay in the agent totals.
    public func prune(nowMicros: UInt64, retentionMicros: UInt64, maxFinished: Int) {
        records.withLock { records in
            // `now - closedAt`, not `closedAt + retention`: `.max` means "keep forever" and must not trap.
            let expired = { (r: StreamRecord) -> Bool in
                guard r.state.isFinished else { return false }
                let closedAt = r.closedAtMicros.load(ordering: .relaxed)
                return nowMicros >= closedAt && nowMicros - closedAt >= retentionMicros
            }
            var evicted = Set(records.list.indices.filter { expired(records.list[$0]) })
            let finished = records.list.indices.filter { records.list[$0].state.isFinished && !evicted.contains($0) }
            let excess = finished.count - max(maxFinished, 0)
            if excess > 0 {
                evicted.formUnion(finished.sorted {
                    records.list[$0].closedAtMicros.load(ordering: .relaxed) < records.list[$1].closedAtMicros.load(ordering: .relaxed)
                }.prefix(excess))
            }
            guard !evicted.isEmpty else { return }
            for i in evicted { records.retire(records.list[i]) }
            records.list = records.list.indices.filter { !evicted.contains($0) }.map { records.list[$0] }
        }
    }

    /// Copies every value without stopping the writers. `selection` picks the streams listed;
    /// the agent totals always include every stream.
    public func snapshot(nowMicros: UInt64 = Clocks.wallMicros(), selection: StreamSelection = .all) -> MetricsSnapshot {
        let records = records.withLock { $0 }
        var streams: [StreamSnapshot] = []
        streams.reserveCapacity(selection == .none ? 0 : records.list.count)
        var open: UInt64 = 0
        var c2s = records.prunedC2S, s2c = records.prunedS2C
        for r in records.list {
            let s = r.snapshot()
            c2s.accumulate(s.c2s)
            s2c.accumulate(s.s2c)
            if !s.state.isFinished { open += 1 }
            if selection == .all || (selection == .open && !s.state.isFinished) { streams.append(s) }
        }
        var agent = AgentSnapshot(
            startTimeMicros: startTimeMicros, takenAtMicros: nowMicros, streamsOpen: open,
            streamsTotal: streamsTotal.load(ordering: .relaxed),
            connectFailures: connectFailures.load(ordering: .relaxed),
            streamErrors: streamErrors.load(ordering: .relaxed),
            flowsEvicted: flowsEvicted.load(ordering: .relaxed),
            flowOverflowFrames: flowOverflowFrames.load(ordering: .relaxed))
        agent.c2s = c2s
        agent.s2c = s2c
        return MetricsSnapshot(agent: agent, streams: streams)
    }
}
