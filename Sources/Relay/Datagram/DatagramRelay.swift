import Logging
import Synchronization
import Telemetry

/// `bpagent unixgram`, `bpagent tap` and each connection of `bpagent stream`: moves frames
/// both ways between two `FramePort`s on one event loop, counting every frame under its flow's
/// stream.
///
/// The first port is the VMM side (the listening socket, or the TAP device), the second the
/// helper side. Each way has a `DatagramPump`; a pump blocked under `wait` stops reading its
/// source and is resumed by its destination's POLLOUT (where that means room) or by the retry
/// timer, whichever comes first. `run()` owns every descriptor and counter write; only
/// `requestStop()` may be called from another thread, hence `@unchecked Sendable`;
/// the loop's methods check (in debug builds) that they run on `run()`'s thread.
public final class DatagramRelay: @unchecked Sendable {
    /// The thread `run()` runs on: every method but `requestStop()` checks it (debug builds).
    private var loopThread = ThreadConfinement()
    public let registry: StreamRegistry
    private let config: DatagramConfiguration
    private let logger: Logger
    private let poller: Poller
    private let waker: WakePipe
    private let ports: (FramePort, FramePort)
    private let flows: FlowStreams
    /// `c2s` (first port → second) and `s2c`.
    private let pumps: [DatagramPump]
    private var interests: [Interest]
    private let stop = StopSignal()
    /// When a stream port was first seen closed (0: never).
    private var closedAtMicros: UInt64 = 0
    /// Per port: a stream peer hung up. The socket then reports POLLHUP whatever the interest,
    /// so it leaves the poller (else the loop would spin while the pump reading it is blocked)
    /// and counts as readable until its pump has read to the end.
    private var hungUp = [false, false]

    init(first: FramePort, second: FramePort, config: DatagramConfiguration, registry: StreamRegistry,
         logger: Logger) throws(DatagramSetupError) {
        do {
            poller = try Poller(kind: config.poller, writableFault: config.writableFault)
        } catch {
            throw DatagramSetupError("\(error)")
        }
        guard let waker = WakePipe() else { throw DatagramSetupError("pipe: out of descriptors") }
        self.waker = waker
        self.config = config
        self.registry = registry
        self.logger = logger
        ports = (first, second)
        flows = FlowStreams(capacity: config.maxFlows, idleTimeoutMicros: config.flowIdleMicros,
                            registry: registry, logger: logger)
        let stop = stop
        pumps = [
            DatagramPump(from: first, to: second, side: .c2s, flows: flows, policy: config.policy,
                         injection: config.injection, stop: stop, readDelayMicros: 0, receiveBatch: config.receiveBatch,
                         logger: logger),
            DatagramPump(from: second, to: first, side: .s2c, flows: flows, policy: config.policy,
                         injection: config.injection, stop: stop, readDelayMicros: config.readDelayMicros,
                         receiveBatch: config.receiveBatch, logger: logger),
        ]
        interests = [[.read], [.read]]
    }

    /// Asks `run()` to return soon. Safe from any thread.
    public func requestStop() {
        stop.request()
        waker.wake()
    }

    /// Relays until `requestStop()` (or, between `stream` ports, until a peer closed and what
    /// it sent is through); then counts any frame still waiting as dropped and closes every
    /// flow's stream.
    public func run() {
        loopThread = ThreadConfinement()
        poller.add(ports.0.fd, [.read])
        poller.add(ports.1.fd, [.read])
        poller.add(waker.readFD, [.read])
        var nextHousekeeping = Clocks.monotonicMicros() + 1_000_000
        while !stop.isRequested && !streamEnded() {
            // Per port: (readable or hung up, writable or hung up). Inline: no allocation per round.
            var ready = InlineArray<2, (Bool, Bool)>(repeating: (false, false))
            poller.wait(timeoutMillis: timeoutMillis()) { event in
                if event.fd == waker.readFD { return waker.drain() }
                // A pending socket error (the peer closed) is reported whatever the interest, so
                // read it (which clears it) rather than wake up for it again and again while the
                // pump that would have read it is blocked.
                if event.hangup { _ = TCPSocket.pendingError(event.fd) }
                guard let i = event.fd == ports.0.fd ? 0 : event.fd == ports.1.fd ? 1 : nil else { return }
                if event.hangup { streamHungUp(i) }
                ready[i].0 = ready[i].0 || event.readable || event.hangup
                ready[i].1 = ready[i].1 || event.writable || event.hangup
            }
            let now = Clocks.monotonicMicros()
            // The rest of a stream frame the socket took in part goes out as soon as there is room.
            if ready[0].1 { ports.0.framing?.flush(to: ports.0.fd) }
            if ready[1].1 { ports.1.framing?.flush(to: ports.1.fd) }
            // A port's readiness concerns the pump reading from it and the one blocked writing to it.
            for pump in pumps {
                let sourceIndex = pump.source === ports.0 ? 0 : 1
                let sourceReady = ready[sourceIndex].0 || hungUp[sourceIndex] || pump.source.framing?.hasBufferedFrame == true
                let destinationWritable = ready[pump.destination === ports.0 ? 0 : 1].1
                let due = pump.isBlocked && (now >= pump.retryAtMicros || destinationWritable)
                guard due || (!pump.isBlocked && sourceReady) else { continue }
                let trigger: WaitRecovery = destinationWritable ? .event : .timer
                if case .blocked = pump.run(nowMicros: now, retryDelayMicros: config.retryDelayMicros, trigger: trigger) {
                    poller.writeFailed(pump.destination.fd, nowMicros: now)
                }
            }
            updateInterests()
            if now >= nextHousekeeping {
                nextHousekeeping = now + 1_000_000
                flows.housekeep(nowMicros: now)
                registry.prune(nowMicros: Clocks.wallMicros(), retentionMicros: config.closedRetentionMicros,
                               maxFinished: config.maxClosedStreams)
            }
        }
        let now = Clocks.monotonicMicros()
        pumps.forEach { $0.abandon(nowMicros: now) }
        flows.closeAll()
    }

    private func streamHungUp(_ i: Int) {
        let port = i == 0 ? ports.0 : ports.1
        guard port.framing != nil, !hungUp[i] else { return }
        hungUp[i] = true
        poller.remove(port.fd)
    }

    /// A stream port's peer closed (or its socket failed) and what it sent is through: the
    /// connection is over. Until then the other way still flushes what it holds, for at most
    /// `closingGraceMicros` (a helper that never reads again cannot hold the relay).
    private func streamEnded() -> Bool {
        guard ports.0.framing?.isClosed == true || ports.1.framing?.isClosed == true else { return false }
        let now = Clocks.monotonicMicros()
        if closedAtMicros == 0 { closedAtMicros = now }
        let settled = pumps.allSatisfy { pump in
            !pump.isBlocked && pump.source.framing?.hasBufferedFrame != true
                && (pump.destination.framing?.pendingOutput ?? 0) == 0
        }
        return settled || now &- closedAtMicros >= Self.closingGraceMicros
    }

    /// How long a stream connection whose peer closed may still flush the other way.
    static let closingGraceMicros: UInt64 = 1_000_000

    /// Until the earliest retry timer of a blocked pump, at most a second (housekeeping).
    private func timeoutMillis() -> Int32 {
        var until: UInt64 = .max
        for pump in pumps where pump.isBlocked { until = min(until, pump.retryAtMicros) }
        // A stream frame already buffered needs no event to be relayed.
        for pump in pumps where !pump.isBlocked {
            guard let framing = pump.source.framing else { continue }
            let gone = hungUp[pump.source === ports.0 ? 0 : 1]
            guard framing.hasBufferedFrame || (gone && !framing.isClosed) else { continue }
            return 0
        }
        guard until != .max else { return 1000 }
        let now = Clocks.monotonicMicros()
        return until > now ? Int32(min((until - now + 999) / 1000, 1000)) : 0
    }

    /// Read a port while the pump it feeds is not blocked; watch it for writability while the
    /// pump writing to it is blocked and POLLOUT there means room.
    private func updateInterests() {
        loopThread.check()
        for i in 0..<2 where !hungUp[i] {
            let port = i == 0 ? ports.0 : ports.1
            var interest: Interest = []
            for pump in pumps {
                if pump.source === port && !pump.isBlocked && port.framing?.isClosed != true { interest.insert(.read) }
                if pump.destination === port && pump.isBlocked && port.writableMeansRoom { interest.insert(.write) }
            }
            if (port.framing?.pendingOutput ?? 0) > 0 { interest.insert(.write) }
            if interest != interests[i] {
                poller.modify(port.fd, interest)
                interests[i] = interest
            }
        }
    }
}
