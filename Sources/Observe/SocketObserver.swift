#if canImport(Glibc)
import Glibc
import CSystemShims
import Synchronization
import Telemetry

/// `bpagent observe`: polls the kernel's socket diagnostics at a fixed rate and keeps one
/// stream per selected socket in the registry, with the kernel's figures beside it.
///
/// Everything runs on the thread that calls `run`; the metrics server only reads what
/// `publication` holds. A socket that disappears is a closed stream (its last figures stay
/// until the registry prunes it); a `--pid` process that exits is reported once and its
/// sockets close with it.
public final class SocketObserver {
    public struct Configuration: Sendable {
        public var selection: SocketSelection
        public var intervalMicros: UInt64
        public var closedRetentionMicros: UInt64
        public var maxFinished: Int

        public init(selection: SocketSelection, intervalMicros: UInt64, closedRetentionMicros: UInt64, maxFinished: Int) {
            self.selection = selection
            self.intervalMicros = intervalMicros
            self.closedRetentionMicros = closedRetentionMicros
            self.maxFinished = maxFinished
        }
    }

    /// One observed socket; a class, so a poll updates it in place (a TCP reading is 300 bytes).
    private final class Tracked {
        let inode: UInt64
        let record: StreamRecord
        var lastPoll: UInt64
        var observed: ObservedSnapshot
        var fullMicros: UInt64 = 0
        /// A TCP socket as the kernel last described it: what an exact lookup names.
        var tcp: bp_inet_socket?
        /// Its place among the prepared lookups (`lookedUp`), until they are prepared again.
        var lookupIndex: Int?

        init(inode: UInt64, record: StreamRecord, lastPoll: UInt64, observed: ObservedSnapshot) {
            self.inode = inode
            self.record = record
            self.lastPoll = lastPoll
            self.observed = observed
        }
    }

    /// How often TCP sockets are looked for by a dump, which walks the kernel's whole table of
    /// connections (262,144 buckets here, per family: ≈ 1 ms): once a second when the number of
    /// TCP sockets changed (`/proc/net/sockstat`, read at most once a second), at least every
    /// 5 s otherwise. Between dumps the known sockets are looked up one by one.
    static let discoveryMicros: UInt64 = 1_000_000
    static let quietDiscoveryMicros: UInt64 = 5_000_000

    private let configuration: Configuration
    private let registry: StreamRegistry
    private let publication: ObservedPublication
    private let notice: @Sendable (String) -> Void
    private let diag: SockDiagSocket
    private let truesize = DatagramTruesize()
    private let datagramLimit = ProcFS.maxDatagramQueue()
    private let stopper: ObserverStop

    private var tracked: [UInt64: Tracked] = [:]
    /// Streams closed, oldest first, whose figures stay published until the registry would prune them.
    private var closed: [(id: UInt64, atMicros: UInt64)] = []
    /// What this poll changed, handed to `publication` at its end (reused by every poll).
    private var changed: [(id: UInt64, observed: ObservedSnapshot)] = []
    private var removed: [UInt64] = []
    private var observerFigures = ObserverSnapshot(processes: [], polls: 0, pollMicros: 0)
    private var running: [Bool]
    private var poll: UInt64 = 0
    private var lastPollMicros: UInt64 = 0
    private var lastFailure: String?
    // Reused by every poll.
    private var tcpCandidates: [TCPReading] = []
    /// The TCP sockets the prepared lookups ask for, in their order; rebuilt after a dump or a close.
    private var lookedUp: [Tracked] = []
    private var lookupsStale = true
    /// Beside `lookedUp`: each socket's last figures, and what this poll's lookup found (1
    /// changed, 0 the same, -1 gone); empty when this poll looked nothing up.
    private var lookupReadings: [bp_inet_socket] = []
    private var lookupResults: [Int8] = []
    /// Tracked sockets seen by this poll: when all were, none vanished and nothing is scanned.
    private var seen = 0
    private var lastDiscoveryMicros: UInt64 = 0
    private var lastCountCheckMicros: UInt64 = 0
    private var lastSocketCounts = ProcFS.TCPSocketCounts()
    private var listeningPorts = Set<UInt16>()
    private var unixSockets: [UnixReading] = []
    private let unixPaths: [[UInt8]]
    /// Inode → place in `unixSockets`; sockets bound at a `--unix` path; what each datagram
    /// receiver's connected senders are charged for it; the sockets observed (all reused).
    private var unixIndex: [UInt64: Int] = [:]
    private var bound = Set<UInt64>()
    private var pending: [UInt64: UInt64] = [:]
    private var selectedUnix = Set<UInt64>()

    /// Checks the targets and takes the first poll, so a bad target or a kernel without socket
    /// diagnostics is an error before anything is served.
    public init(configuration: Configuration, registry: StreamRegistry, publication: ObservedPublication,
                notice: @escaping @Sendable (String) -> Void) throws(ObserveError) {
        try Self.checkTargets(configuration.selection)
        self.configuration = configuration
        self.registry = registry
        self.publication = publication
        self.notice = notice
        diag = try SockDiagSocket()
        guard let stopper = ObserverStop() else { throw ObserveError("out of file descriptors") }
        self.stopper = stopper
        running = configuration.selection.pids.map { _ in true }
        unixPaths = configuration.selection.unixPaths.map(UnixReading.nameBytes)
        observerFigures.processes = configuration.selection.pids.map { (pid: $0, running: true) }
        // With --pid any port may be wanted; otherwise the kernel dumps only the ports asked for.
        if configuration.selection.pids.isEmpty {
            diag.tcpPorts = configuration.selection.tcpFilters.flatMap { f -> [(port: UInt16, destination: Bool)] in
                switch f.side {
                case .sport: [(f.port, false)]
                case .dport: [(f.port, true)]
                case .port: [(f.port, false), (f.port, true)]
                }
            }
            if diag.tcpPorts.count > 31 { diag.tcpPorts = [] }
        }
        try pollOnce()
    }

    /// Every `--pid` runs and its descriptors can be read.
    public static func checkTargets(_ selection: SocketSelection) throws(ObserveError) {
        for pid in selection.pids where !ProcFS.isRunning(pid) {
            throw ObserveError("no process \(pid) (--pid \(pid))")
        }
        for pid in selection.pids where ProcFS.socketInodes(of: pid) == nil {
            throw ObserveError("cannot read /proc/\(pid)/fd: \(String(cString: strerror(errno)))")
        }
    }

    /// What stops `run` from any thread (a signal handler).
    public var stop: @Sendable () -> Void { stopper.fire }

    /// Polls until stopped, on a fixed grid (a slow poll does not shift the next ones).
    public func run() {
        var next = Clocks.monotonicMicros() + configuration.intervalMicros
        while !stopper.isStopped {
            let now = Clocks.monotonicMicros()
            if now < next {
                stopper.sleep(micros: next - now)
                continue
            }
            next += configuration.intervalMicros
            if next < now { next = now + configuration.intervalMicros }
            do {
                try pollOnce()
                if lastFailure != nil { notice("polls work again") }
                lastFailure = nil
            } catch {
                // Once per different failure, not once per poll.
                if lastFailure != error.description { notice("poll failed: \(error)") }
                lastFailure = error.description
            }
        }
    }

    /// One poll: the sockets' figures into the registry and the publication (run calls it on
    /// its grid; tests call it directly).
    func pollOnce() throws(ObserveError) {
        let started = Clocks.monotonicMicros()
        let wall = Clocks.wallMicros()
        let elapsed = lastPollMicros == 0 ? 0 : started - lastPollMicros
        lastPollMicros = started
        poll += 1
        seen = 0
        let byPid = processSockets()
        if configuration.selection.needsTCP { try pollTCP(byPid, nowMicros: started) }
        if configuration.selection.needsUnix { try pollUnix(byPid, elapsedMicros: elapsed) }
        retireVanished(nowMicros: wall)
        // Closed streams wait a few seconds at least: pruning once in a hundred polls is enough.
        if poll % 100 == 1 {
            registry.prune(nowMicros: wall, retentionMicros: configuration.closedRetentionMicros,
                           maxFinished: configuration.maxFinished)
        }
        observerFigures.polls = poll
        observerFigures.pollMicros += Clocks.monotonicMicros() - started
        publication.publish(changed: changed, removed: removed, observer: observerFigures)
        changed.removeAll(keepingCapacity: true)
        removed.removeAll(keepingCapacity: true)
    }

    /// Socket inode → the `--pid` process holding it; notes processes that have exited.
    private func processSockets() -> [UInt64: Int32] {
        var byPid: [UInt64: Int32] = [:]
        for (i, pid) in configuration.selection.pids.enumerated() where running[i] {
            if let inodes = ProcFS.socketInodes(of: pid), ProcFS.isRunning(pid) {
                for inode in inodes { byPid[inode] = pid }
            } else {
                running[i] = false
                observerFigures.processes[i].running = false
                notice("process \(pid) has exited; its sockets are closed")
            }
        }
        return byPid
    }

    // MARK: TCP

    /// A dump (at most once a second) finds the sockets; the polls between look up the known ones.
    private func pollTCP(_ byPid: [UInt64: Int32], nowMicros: UInt64) throws(ObserveError) {
        if discoveryDue(nowMicros: nowMicros) {
            lastDiscoveryMicros = nowMicros
            lookupsStale = true
            lookupResults.removeAll(keepingCapacity: true)
            return try discoverTCP(byPid)
        }
        if lookupsStale { prepareLookups() }
        guard !lookedUp.isEmpty else { return }
        for i in lookupResults.indices { lookupResults[i] = -1 }
        // The replies are compared with the last figures in place: an idle socket costs its
        // lookup and a comparison, nothing else.
        try lookupReadings.withUnsafeMutableBufferPointer { readings throws(ObserveError) in
            try lookupResults.withUnsafeMutableBufferPointer { results throws(ObserveError) in
                try diag.lookup { i, payload, length in
                    // Gone (no reply, or the addresses now name a TIME_WAIT or another socket): closed.
                    guard let payload else { return }
                    results[i] = Int8(bp_inet_diag_refresh(payload, length, &readings[i]))
                }
            }
        }
        for (i, result) in lookupResults.enumerated() where result >= 0 {
            seen += 1
            guard result == 1 else { continue }
            let entry = lookedUp[i]
            update(TCPReading(raw: lookupReadings[i]), entry: entry, server: entry.observed.sendDirection == .s2c, byPid, [:])
        }
    }

    private func prepareLookups() {
        lookedUp = tracked.values.filter { $0.tcp != nil }
        for (i, entry) in lookedUp.enumerated() { entry.lookupIndex = i }
        lookupReadings = lookedUp.map { $0.tcp! }
        lookupResults = [Int8](repeating: -1, count: lookedUp.count)
        diag.prepareLookups(lookupReadings)
        lookupsStale = false
    }

    /// Whether to dump: the first poll, every 5 s, or once a second when the counts of TCP
    /// sockets changed (checked at most once a second: reading them costs two file reads).
    private func discoveryDue(nowMicros: UInt64) -> Bool {
        let since = nowMicros - lastDiscoveryMicros
        if lastDiscoveryMicros == 0 || since >= max(configuration.intervalMicros, Self.quietDiscoveryMicros) { return true }
        guard since >= Self.discoveryMicros, nowMicros - lastCountCheckMicros >= Self.discoveryMicros else { return false }
        lastCountCheckMicros = nowMicros
        return ProcFS.tcpSocketCounts() != lastSocketCounts
    }

    private func discoverTCP(_ byPid: [UInt64: Int32]) throws(ObserveError) {
        tcpCandidates.removeAll(keepingCapacity: true)
        listeningPorts.removeAll(keepingCapacity: true)
        let filters = configuration.selection.tcpFilters
        lastSocketCounts = ProcFS.tcpSocketCounts()
        lastCountCheckMicros = lastDiscoveryMicros
        // A family with no TCP socket in this namespace has nothing to find: its walk is skipped.
        for (kind, count) in [(SockDiagSocket.Kind.tcp4, lastSocketCounts.ipv4), (.tcp6, lastSocketCounts.ipv6)] where count != 0 {
            try diag.dump(kind) { payload, length in
                guard let r = TCPReading(payload, length) else { return }
                if r.state == TCPReading.listenState { listeningPorts.insert(r.localPort); return }
                guard r.inode != 0 else { return }
                if byPid[r.inode] != nil || filters.contains(where: { $0.matches(local: r.localPort, remote: r.remotePort) }) {
                    tcpCandidates.append(r)
                }
            }
        }
        let owners = ownersOfNew(tcpCandidates.map(\.inode), byPid)
        for r in tcpCandidates {
            // The side that accepted (its port is listening) is the server: `local` names it
            // and `peer` the client, as the relay's streams do, so iperf3's join works on both.
            let entry = tracked[r.inode]
            let server = entry.map { $0.observed.sendDirection == .s2c } ?? listeningPorts.contains(r.localPort)
            update(r, entry: entry, server: server, byPid, owners)
        }
    }

    /// A TCP socket's reading into its stream; a known socket whose figures did not change
    /// since the last poll (an idle connection) is only marked seen.
    private func update(_ reading: TCPReading, entry: Tracked?, server: Bool, _ byPid: [UInt64: Int32], _ owners: [UInt64: Int32]) {
        if let entry, var last = entry.tcp {
            var now = reading.raw
            if bp_inet_socket_same(&last, &now) != 0 {
                markSeen(entry)
                return
            }
        }
        var r = reading
        let send: Direction = server ? .s2c : .c2s
        let m = r.memory
        var observed = ObservedSnapshot(sendDirection: send, sendQueueBytes: m.sendQueued, sendLimitBytes: m.sendBuffer,
                                        receiveQueueBytes: m.receiveAllocated, receiveLimitBytes: m.receiveBuffer,
                                        drops: m.drops)
        if r.raw.has_info != 0 {
            observed.tcp = ObservedTCP(
                sndbufLimitedMicros: r.raw.sndbuf_limited_us, rwndLimitedMicros: r.raw.rwnd_limited_us,
                busyMicros: r.raw.busy_us, notsentBytes: UInt64(r.raw.notsent_bytes),
                retransmits: UInt64(r.raw.total_retrans), rttMicros: UInt64(r.raw.rtt_us), cwnd: UInt64(r.raw.snd_cwnd),
                deliveryRateBytesPerSecond: r.raw.delivery_rate)
        }
        let state = Self.streamState(tcp: r.state)
        let tracking = track(r.inode, entry: entry, observed: observed, state: state) {
            r.nameAddresses()
            return StreamIdentity(id: 0, proto: "tcp", local: server ? r.local : r.remote, peer: server ? r.remote : r.local,
                                  owner: owner(r.inode, byPid, owners))
        }
        tracking.tcp = r.raw
        let record = tracking.record
        // tcpi_bytes_acked counts the SYN (sequence space, RFC 4898): bytes of data are one less.
        record.counters(send).bytes.store(r.raw.bytes_acked > 0 ? r.raw.bytes_acked - 1 : 0, ordering: .relaxed)
        record.counters(send == .c2s ? .s2c : .c2s).bytes.store(r.raw.bytes_received, ordering: .relaxed)
    }

    private static func streamState(tcp state: UInt8) -> StreamState {
        switch state {
        case 1: .open
        case 2, 3: .connecting
        case 7: .closed
        default: .halfClosed  // FIN_WAIT1/2, CLOSE_WAIT, LAST_ACK, CLOSING
        }
    }

    // MARK: Unix

    private func pollUnix(_ byPid: [UInt64: Int32], elapsedMicros: UInt64) throws(ObserveError) {
        unixSockets.removeAll(keepingCapacity: true)
        try diag.dump(.unix) { payload, length in
            if let r = UnixReading(payload, length) { unixSockets.append(r) }
        }
        unixIndex.removeAll(keepingCapacity: true)
        bound.removeAll(keepingCapacity: true)
        pending.removeAll(keepingCapacity: true)
        for (i, r) in unixSockets.enumerated() {
            unixIndex[r.inode] = i
            if r.state != UnixReading.listenState, r.isBound, unixPaths.contains(where: r.isNamed) { bound.insert(r.inode) }
            if r.type == UnixReading.datagramType, let peer = r.peer { pending[peer, default: 0] += r.memory.sendAllocated }
        }
        selectedUnix = bound
        for r in unixSockets where r.state != UnixReading.listenState {
            if byPid[r.inode] != nil { selectedUnix.insert(r.inode) }
            if let peer = r.peer, bound.contains(peer) { selectedUnix.insert(r.inode) }
            if bound.contains(r.inode), let peer = r.peer { selectedUnix.insert(peer) }
        }
        let owners = ownersOfNew(Array(selectedUnix), byPid)
        for inode in selectedUnix {
            guard let i = unixIndex[inode] else { continue }
            let r = unixSockets[i]
            // A bound socket is the server side; an unbound one the client (it sends c2s).
            let server = r.isBound
            let send: Direction = server ? .s2c : .c2s
            var observed = ObservedSnapshot(sendDirection: send, sendQueueBytes: r.memory.sendAllocated,
                                            sendLimitBytes: r.memory.sendBuffer, receiveQueueBytes: r.receiveQueue,
                                            receiveLimitBytes: r.memory.receiveBuffer, drops: r.memory.drops)
            if r.type == UnixReading.datagramType, server || pending[inode] != nil {
                let charged = pending[inode] ?? 0
                let count = r.receiveQueue > 0 && charged > 0 ? truesize.of(length: r.receiveQueue).map { (charged + $0 / 2) / $0 } ?? 0 : 0
                let full = count > datagramLimit
                let before = tracked[inode]?.fullMicros ?? 0
                let fullMicros = before + (full ? elapsedMicros : 0)
                observed.receiveQueueBytes = charged
                observed.datagrams = ObservedDatagramQueue(datagrams: count, limit: datagramLimit, fullMicros: fullMicros)
            }
            let proto = r.type == UnixReading.datagramType ? "unixgram" : r.type == 5 ? "unixseq" : "unix"
            let entry = track(inode, entry: tracked[inode], observed: observed, state: .open) {
                // Labels are made once, for a new stream, not at every poll.
                let peerLabel = r.peer.map { p in unixIndex[p].map { unixSockets[$0].label } ?? "socket:[\(p)]" } ?? ""
                return StreamIdentity(id: 0, proto: proto, local: server ? r.label : peerLabel, peer: server ? peerLabel : r.label,
                                      owner: owner(inode, byPid, owners))
            }
            entry.fullMicros = observed.datagrams?.fullMicros ?? 0
        }
    }

    // MARK: Streams

    /// The stream of socket `inode` (`entry` when tracked): updated, or opened with the identity `identify` makes.
    private func track(_ inode: UInt64, entry: Tracked?, observed: ObservedSnapshot, state: StreamState,
                       identify: () -> StreamIdentity) -> Tracked {
        if let entry {
            markSeen(entry)
            if entry.observed != observed { changed.append((entry.record.identity.id, observed)) }
            entry.observed = observed
            if entry.record.state != state { registry.set(entry.record, to: state) }
            return entry
        }
        let record = registry.open(identify(), state: state)
        let entry = Tracked(inode: inode, record: record, lastPoll: poll, observed: observed)
        tracked[inode] = entry
        seen += 1
        changed.append((record.identity.id, observed))
        return entry
    }

    private func markSeen(_ entry: Tracked) {
        if entry.lastPoll != poll && !seenByLookup(entry) { seen += 1 }
        entry.lastPoll = poll
    }

    private func seenByLookup(_ entry: Tracked) -> Bool {
        guard let i = entry.lookupIndex, i < lookupResults.count else { return false }
        return lookupResults[i] >= 0
    }

    /// Sockets not seen in this poll are closed; figures of streams the registry has pruned are let go.
    private func retireVanished(nowMicros: UInt64) {
        if seen < tracked.count {
            for (inode, entry) in tracked where entry.lastPoll != poll && !seenByLookup(entry) {
                registry.set(entry.record, to: .closed, nowMicros: nowMicros)
                closed.append((entry.record.identity.id, nowMicros))
                tracked[inode] = nil
                if entry.tcp != nil { lookupsStale = true }
            }
        }
        let retention = configuration.closedRetentionMicros
        var drop = 0
        while drop < closed.count,
              closed.count - drop > configuration.maxFinished
                || (nowMicros >= closed[drop].atMicros && nowMicros - closed[drop].atMicros >= retention) {
            removed.append(closed[drop].id)
            drop += 1
        }
        if drop > 0 { closed.removeFirst(drop) }
    }

    /// Owners of the sockets not yet tracked and not held by a `--pid` target: one walk over /proc.
    private func ownersOfNew(_ inodes: [UInt64], _ byPid: [UInt64: Int32]) -> [UInt64: Int32] {
        let new = Set(inodes.filter { tracked[$0] == nil && byPid[$0] == nil })
        return new.isEmpty ? [:] : ProcFS.owners(of: new)
    }

    private func owner(_ inode: UInt64, _ byPid: [UInt64: Int32], _ owners: [UInt64: Int32]) -> SocketOwner {
        let pid = byPid[inode] ?? owners[inode]
        return SocketOwner(pid: pid, comm: pid.map(ProcFS.command) ?? "", inode: inode)
    }
}

/// Stops the observer's loop from any thread, waking it from its sleep.
final class ObserverStop: Sendable {
    private let stopped = Atomic(false)
    private let wake: WakePipe

    init?() {
        guard let wake = WakePipe() else { return nil }
        self.wake = wake
    }

    var isStopped: Bool { stopped.load(ordering: .relaxed) }

    @Sendable func fire() {
        stopped.store(true, ordering: .relaxed)
        wake.wake()
    }

    func sleep(micros: UInt64) {
        var p = pollfd(fd: wake.readFD, events: Int16(POLLIN), revents: 0)
        let millis = Int32(min((micros + 999) / 1000, 1000))
        if poll(&p, 1, millis) > 0 { wake.drain() }
    }
}
#endif
