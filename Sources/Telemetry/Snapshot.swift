/// Values split by the errno that caused them.
public struct PerCause: Equatable, Sendable {
    public var eagain: UInt64
    public var enobufs: UInt64
    public init(eagain: UInt64 = 0, enobufs: UInt64 = 0) {
        self.eagain = eagain
        self.enobufs = enobufs
    }
    public subscript(cause: BufferFullCause) -> UInt64 {
        switch cause {
        case .eagain: eagain
        case .enobufs: enobufs
        }
    }
    public var total: UInt64 { eagain + enobufs }
}

/// Values split by drop reason.
public struct PerReason: Equatable, Sendable {
    public var policy: UInt64
    public var retryBudget: UInt64
    public var sendError: UInt64
    public var tooLarge: UInt64
    public var noStream: UInt64
    public init(policy: UInt64 = 0, retryBudget: UInt64 = 0, sendError: UInt64 = 0, tooLarge: UInt64 = 0,
                noStream: UInt64 = 0) {
        self.policy = policy
        self.retryBudget = retryBudget
        self.sendError = sendError
        self.tooLarge = tooLarge
        self.noStream = noStream
    }
    public subscript(reason: DropReason) -> UInt64 {
        switch reason {
        case .policy: policy
        case .retryBudget: retryBudget
        case .sendError: sendError
        case .tooLarge: tooLarge
        case .noStream: noStream
        }
    }
    public var total: UInt64 { policy + retryBudget + sendError + tooLarge + noStream }
}

/// `wait` episodes split by what ended them.
public struct PerRecovery: Equatable, Sendable {
    public var event: UInt64
    public var timer: UInt64
    public init(event: UInt64 = 0, timer: UInt64 = 0) {
        self.event = event
        self.timer = timer
    }
    public var total: UInt64 { event + timer }
}

/// Microseconds split by how a buffer-full event held the writer.
public struct PerHow: Equatable, Sendable {
    public var spin: UInt64
    public var sleep: UInt64
    public var wait: UInt64
    public init(spin: UInt64 = 0, sleep: UInt64 = 0, wait: UInt64 = 0) {
        self.spin = spin
        self.sleep = sleep
        self.wait = wait
    }
    public var total: UInt64 { spin + sleep + wait }
}

/// Frame counts split by header defect.
public struct PerDefect: Equatable, Sendable {
    public var truncated: UInt64
    public var malformed: UInt64
    public init(truncated: UInt64 = 0, malformed: UInt64 = 0) {
        self.truncated = truncated
        self.malformed = malformed
    }
    public var total: UInt64 { truncated + malformed }
}

/// One direction of one stream, copied out of `DirectionCounters`.
public struct DirectionSnapshot: Equatable, Sendable {
    public var bytes: UInt64
    public var writes: UInt64
    public var bufferFull: PerCause
    public var retries: PerCause
    public var drops: PerReason
    public var dropBytes: PerReason
    /// Per-bucket (not cumulative) counts, `StallBuckets.count` long.
    public var stallBuckets: [UInt64]
    public var stallSumMicros: UInt64
    public var stallMaxMicros: UInt64
    public var retriesPerEventMax: UInt64
    public var queuedBytes: UInt64
    /// Datagram modes: frames and bytes taken from the source, and how many had header defects.
    public var framesReceived: UInt64
    public var bytesReceived: UInt64
    public var defects: PerDefect
    public var retryMicros: PerHow
    /// UDP relay: datagrams the kernel dropped at the source socket's full receive queue.
    public var kernelDrops: UInt64
    public var waitRecoveries: PerRecovery

    public init(
        bytes: UInt64 = 0, writes: UInt64 = 0, bufferFull: PerCause = .init(), retries: PerCause = .init(),
        drops: PerReason = .init(), dropBytes: PerReason = .init(),
        stallBuckets: [UInt64] = Array(repeating: 0, count: StallBuckets.count),
        stallSumMicros: UInt64 = 0, stallMaxMicros: UInt64 = 0, retriesPerEventMax: UInt64 = 0,
        queuedBytes: UInt64 = 0, framesReceived: UInt64 = 0, bytesReceived: UInt64 = 0,
        defects: PerDefect = .init(), retryMicros: PerHow = .init(), kernelDrops: UInt64 = 0,
        waitRecoveries: PerRecovery = .init()
    ) {
        self.bytes = bytes
        self.writes = writes
        self.bufferFull = bufferFull
        self.retries = retries
        self.drops = drops
        self.dropBytes = dropBytes
        self.stallBuckets = stallBuckets
        self.stallSumMicros = stallSumMicros
        self.stallMaxMicros = stallMaxMicros
        self.retriesPerEventMax = retriesPerEventMax
        self.queuedBytes = queuedBytes
        self.framesReceived = framesReceived
        self.bytesReceived = bytesReceived
        self.defects = defects
        self.retryMicros = retryMicros
        self.kernelDrops = kernelDrops
        self.waitRecoveries = waitRecoveries
    }

    /// Completed buffer-full events (those whose stall has been measured).
    public var stallCount: UInt64 { stallBuckets.reduce(0, +) }

    /// Adds `other`'s counts to these, for totals over many streams: counters and the stall
    /// histogram add up, the maxima take the larger, queued bytes add up.
    public mutating func accumulate(_ other: DirectionSnapshot) {
        bytes += other.bytes
        writes += other.writes
        bufferFull.eagain += other.bufferFull.eagain
        bufferFull.enobufs += other.bufferFull.enobufs
        retries.eagain += other.retries.eagain
        retries.enobufs += other.retries.enobufs
        drops.policy += other.drops.policy
        drops.retryBudget += other.drops.retryBudget
        drops.sendError += other.drops.sendError
        dropBytes.policy += other.dropBytes.policy
        dropBytes.retryBudget += other.dropBytes.retryBudget
        dropBytes.sendError += other.dropBytes.sendError
        drops.tooLarge += other.drops.tooLarge
        drops.noStream += other.drops.noStream
        dropBytes.tooLarge += other.dropBytes.tooLarge
        dropBytes.noStream += other.dropBytes.noStream
        kernelDrops += other.kernelDrops
        waitRecoveries.event += other.waitRecoveries.event
        waitRecoveries.timer += other.waitRecoveries.timer
        for i in stallBuckets.indices { stallBuckets[i] += other.stallBuckets[i] }
        stallSumMicros += other.stallSumMicros
        stallMaxMicros = max(stallMaxMicros, other.stallMaxMicros)
        retriesPerEventMax = max(retriesPerEventMax, other.retriesPerEventMax)
        queuedBytes += other.queuedBytes
        framesReceived += other.framesReceived
        bytesReceived += other.bytesReceived
        defects.truncated += other.defects.truncated
        defects.malformed += other.defects.malformed
        retryMicros.spin += other.retryMicros.spin
        retryMicros.sleep += other.retryMicros.sleep
        retryMicros.wait += other.retryMicros.wait
    }
}

/// Where a stream is in its life.
public enum StreamState: UInt8, CaseIterable, Sendable {
    case connecting = 0, open, halfClosed, closed, reset, failed

    public var label: String {
        switch self {
        case .connecting: "connecting"
        case .open: "open"
        case .halfClosed: "half-closed"
        case .closed: "closed"
        case .reset: "reset"
        case .failed: "failed"
        }
    }

    /// Whether the stream has ended (it stays visible for a while after).
    public var isFinished: Bool { self == .closed || self == .reset || self == .failed }

    /// The value of `bpagent_stream_state`: the raw value, documented and stable
    /// (0 connecting, 1 open, 2 half-closed, 3 closed, 4 reset, 5 failed).
    public var code: UInt64 { UInt64(rawValue) }
}

/// Who a stream is: enough to join it with iperf3's "local A port P connected to B port Q".
public struct StreamIdentity: Equatable, Sendable {
    /// Unique within one agent run; the `stream` label.
    public var id: UInt64
    /// `tcp`, `udp`, `unixgram`, …
    public var proto: String
    /// The agent's address on the accepting side (for a TCP relay: the listen address).
    public var local: String
    /// The client's address as the agent sees it.
    public var peer: String
    /// The agent's address on the connecting side ("" until known).
    public var upstreamLocal: String
    /// The address the agent connects to.
    public var upstreamPeer: String
    /// Datagram modes: the flow in words (`vlan 100 tcp 10.77.0.1:40000 → 10.77.0.2:5201`);
    /// empty (and no `flow` label) for byte streams.
    public var flow: String
    /// `bpagent observe`: the process holding the socket, and the socket's inode.
    public var owner: SocketOwner?

    /// Whether the stream carries frames (a datagram flow, which always has a `flow`) rather
    /// than a byte stream. Only frames can be dropped, received or malformed, so a byte stream
    /// exports none of those series.
    public var carriesFrames: Bool { !flow.isEmpty || proto == "udp" }

    public init(id: UInt64, proto: String, local: String, peer: String, upstreamLocal: String = "", upstreamPeer: String = "",
                flow: String = "", owner: SocketOwner? = nil) {
        self.id = id
        self.owner = owner
        self.proto = proto
        self.local = local
        self.peer = peer
        self.upstreamLocal = upstreamLocal
        self.upstreamPeer = upstreamPeer
        self.flow = flow
    }
}

public struct StreamSnapshot: Equatable, Sendable {
    public var identity: StreamIdentity
    public var state: StreamState
    /// Seconds since the Unix epoch, microsecond resolution.
    public var openedAtMicros: UInt64
    public var closedAtMicros: UInt64?
    public var c2s: DirectionSnapshot
    public var s2c: DirectionSnapshot
    /// `bpagent observe`: the kernel's figures for the socket (its relay counters stay 0).
    public var observed: ObservedSnapshot?

    public init(identity: StreamIdentity, state: StreamState, openedAtMicros: UInt64, closedAtMicros: UInt64? = nil,
                c2s: DirectionSnapshot = .init(), s2c: DirectionSnapshot = .init(), observed: ObservedSnapshot? = nil) {
        self.observed = observed
        self.identity = identity
        self.state = state
        self.openedAtMicros = openedAtMicros
        self.closedAtMicros = closedAtMicros
        self.c2s = c2s
        self.s2c = s2c
    }
}

/// Agent-wide counters that belong to no stream.
public struct AgentSnapshot: Equatable, Sendable {
    /// Every stream's counts since start, by direction, streams pruned from the export
    /// included: these never decrease, so `rate()` over them stays right while streams come
    /// and go (a sum over the exported streams drops when one is pruned).
    public var c2s = DirectionSnapshot()
    public var s2c = DirectionSnapshot()
    public var startTimeMicros: UInt64
    public var takenAtMicros: UInt64
    public var streamsOpen: UInt64
    public var streamsTotal: UInt64
    /// Upstream connects that failed (target down, refused, unreachable).
    public var connectFailures: UInt64
    /// Streams that ended with a reset or another socket error.
    public var streamErrors: UInt64
    /// Datagram modes: flows forgotten after being idle (their streams closed).
    public var flowsEvicted: UInt64
    /// Datagram modes: frames counted under the shared overflow stream because the flow table was full.
    public var flowOverflowFrames: UInt64
    /// Log lines given up because stderr was not read fast enough (the relay never waits for it).
    public var logLinesDropped: UInt64

    public init(startTimeMicros: UInt64, takenAtMicros: UInt64, streamsOpen: UInt64 = 0, streamsTotal: UInt64 = 0,
                connectFailures: UInt64 = 0, streamErrors: UInt64 = 0, flowsEvicted: UInt64 = 0,
                flowOverflowFrames: UInt64 = 0, logLinesDropped: UInt64 = 0) {
        self.logLinesDropped = logLinesDropped
        self.flowsEvicted = flowsEvicted
        self.flowOverflowFrames = flowOverflowFrames
        self.startTimeMicros = startTimeMicros
        self.takenAtMicros = takenAtMicros
        self.streamsOpen = streamsOpen
        self.streamsTotal = streamsTotal
        self.connectFailures = connectFailures
        self.streamErrors = streamErrors
    }

    /// The totals of one direction.
    public subscript(totals dir: Direction) -> DirectionSnapshot { dir == .c2s ? c2s : s2c }
}

/// Everything one scrape shows: the one model behind every output format.
public struct MetricsSnapshot: Equatable, Sendable {
    public var agent: AgentSnapshot
    public var streams: [StreamSnapshot]
    /// The agent's own figures; each part is exported when present (bpagent fills them all).
    public var build: BuildInfo?
    public var process: ProcessSnapshot?
    public var exporter: ExporterSnapshot?
    /// Where the agent accepts traffic (empty when the mode does not say).
    public var listening: [ListenInfo]
    /// `bpagent observe`'s targets and poll cost.
    public var observer: ObserverSnapshot?

    public init(agent: AgentSnapshot, streams: [StreamSnapshot], build: BuildInfo? = nil,
                process: ProcessSnapshot? = nil, exporter: ExporterSnapshot? = nil, listening: [ListenInfo] = [],
                observer: ObserverSnapshot? = nil) {
        self.observer = observer
        self.agent = agent
        self.streams = streams
        self.build = build
        self.process = process
        self.exporter = exporter
        self.listening = listening
    }
}
