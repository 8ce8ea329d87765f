#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Logging
import Synchronization
import Telemetry

/// `bpagent relay`: accepts TCP connections and relays each to the connect address on one
/// event loop, counting backpressure per stream and direction into a `StreamRegistry`.
///
/// `run()` owns every socket and counter write; the only call meant for another thread is
/// `requestStop()`, which is why the type is `@unchecked Sendable`.
public final class TCPRelay: @unchecked Sendable {
    public let registry: StreamRegistry
    /// The address actually listened on (differs from the configuration when port 0 was asked).
    public let boundAddress: SocketAddress
    private let config: RelayConfiguration
    private let logger: Logger
    private let poller: Poller
    private let waker: WakePipe
    private let listener: Int32
    private let stop = StopSignal()
    /// Streams by descriptor (client and server both point at their stream).
    private var byFD: [RelayStream?] = []
    private var gate: AcceptGate
    private var timers = RetryTimers()

    public init(config: RelayConfiguration, registry: StreamRegistry, logger: Logger) throws(SystemError) {
        self.config = config
        self.registry = registry
        self.logger = logger
        poller = try Poller(kind: config.poller, writableFault: config.writableFault)
        gate = AcceptGate(softLimit: DescriptorLimit.soft)
        guard let waker = WakePipe() else { throw SystemError("pipe") }
        self.waker = waker
        listener = try TCPSocket.makeListener(on: config.listen)
        boundAddress = try SocketAddress(of: listener, local: true)
    }

    deinit { close(listener) }

    /// Asks `run()` to return soon. Safe from any thread.
    public func requestStop() {
        stop.request()
        waker.wake()
    }

    /// Serves until `requestStop()`; then closes every stream and the listener.
    public func run() {
        poller.add(listener, [.read])
        poller.add(waker.readFD, [.read])
        var nextPrune = Clocks.monotonicMicros() + 1_000_000
        while !stop.isRequested {
            poller.wait(timeoutMillis: timeoutMillis()) { event in
                if event.fd == listener {
                    acceptAll()
                } else if event.fd == waker.readFD {
                    waker.drain()
                } else if Int(event.fd) < byFD.count, let stream = byFD[Int(event.fd)] {
                    handle(event, of: stream)
                }
            }
            let now = Clocks.monotonicMicros()
            fireRetryTimers(nowMicros: now)
            if gate.isPaused, let message = gate.resumeIfDue(nowMicros: now, probe: listener) {
                logger.notice("\(message)")
                poller.modify(listener, [.read])
            }
            if now >= nextPrune {
                nextPrune = now + 1_000_000
                registry.prune(nowMicros: Clocks.wallMicros(), retentionMicros: config.closedRetentionMicros,
                               maxFinished: config.maxClosedStreams)
            }
        }
        for case let stream? in byFD where stream.client >= 0 {
            if byFD[Int(stream.client)] === stream { finish(stream, as: .closed, reason: "agent stopping") }
        }
    }

    /// Until the next retry timer or the end of an accept pause, at most a second (pruning).
    private func timeoutMillis() -> Int32 {
        let until = min(timers.earliest ?? .max, gate.pausedUntil ?? .max)
        guard until != .max else { return 1000 }
        let now = Clocks.monotonicMicros()
        return until > now ? Int32(min((until - now + 999) / 1000, 1000)) : 0
    }

    // MARK: Accepting

    private func acceptAll() {
        while true {
            let fd = accept(listener, nil, nil)
            if fd < 0 {
                switch errno {
                case EINTR, ECONNABORTED: continue
                case EAGAIN, EWOULDBLOCK: return
                case EMFILE, ENFILE, ENOBUFS, ENOMEM:
                    pauseAccepting("accept: \(errnoName(errno))")
                    return
                default:
                    logger.error("\(SystemError("accept"))")
                    return
                }
            }
            TCPSocket.setNonBlocking(fd)
            TCPSocket.setOption(fd, Int32(IPPROTO_TCP), TCP_NODELAY, 1)
            let outOfDescriptors = !startStream(client: fd)
            if outOfDescriptors || gate.isShort(afterAccepting: fd) {
                pauseAccepting(outOfDescriptors ? "no socket left for the upstream side" : "descriptor \(fd) accepted")
                return
            }
        }
    }

    /// Stops watching the listener for a while: waiting connections stay in the kernel's
    /// backlog (and clients retry) instead of being taken and refused in a loop.
    private func pauseAccepting(_ reason: String) {
        if let message = gate.pause(nowMicros: Clocks.monotonicMicros(), reason: reason) { logger.warning("\(message)") }
        poller.modify(listener, [])
    }

    /// False when no socket could be made for the upstream side because descriptors ran out.
    private func startStream(client fd: Int32) -> Bool {
        let local = (try? SocketAddress(of: fd, local: true))?.description ?? "?"
        let peer = (try? SocketAddress(of: fd, local: false))?.description ?? "?"
        let server: Int32
        do {
            server = try TCPSocket.startConnect(to: config.connect)
        } catch {
            registry.countConnectFailure()
            logger.warning("connection from \(peer) refused: \(error)")
            TCPSocket.abort(fd)
            return error.code != EMFILE && error.code != ENFILE
        }
        let upstreamLocal = (try? SocketAddress(of: server, local: true))?.description ?? "?"
        let identity = StreamIdentity(id: 0, proto: "tcp", local: local, peer: peer,
                                      upstreamLocal: upstreamLocal, upstreamPeer: config.connect.description)
        let record = registry.open(identity, state: .connecting)
        let stream = RelayStream(record: record, client: fd, server: server, config: config, stop: stop)
        let needed = Int(max(fd, server)) + 1
        if byFD.count < needed { byFD.append(contentsOf: repeatElement(nil, count: needed - byFD.count)) }
        byFD[Int(fd)] = stream
        byFD[Int(server)] = stream
        poller.add(fd, [])
        poller.add(server, [.write])
        logger.debug("stream \(record.identity.id): \(peer) → \(local), connecting \(upstreamLocal) → \(config.connect)")
        return true
    }

    // MARK: Relaying

    private func handle(_ event: PollEvent, of stream: RelayStream) {
        if stream.connecting {
            guard event.fd == stream.server else { return }
            let err = TCPSocket.pendingError(stream.server)
            if err != 0 {
                registry.countConnectFailure()
                logger.warning("stream \(stream.record.identity.id): connect \(config.connect): \(errnoName(err))")
                finish(stream, as: .failed, reason: "connect failed", abortClient: true)
                return
            }
            stream.connecting = false
            registry.set(stream.record, to: .open)
        }
        let fromClient = event.fd == stream.client
        let (inbound, outbound) = fromClient ? (stream.c2s, stream.s2c) : (stream.s2c, stream.c2s)
        let (near, far) = fromClient ? (stream.client, stream.server) : (stream.server, stream.client)
        // Writable: the blocked direction towards this descriptor may go on.
        if event.writable || event.hangup,
           !advance(stream, outbound, from: far, to: near, destinationWritable: true, trigger: .event) { return }
        if event.readable || event.hangup || !stream.connecting,
           !advance(stream, inbound, from: near, to: far, destinationWritable: false) { return }
        settle(stream)
    }

    /// Tries blocked directions whose writable event did not come in time.
    private func fireRetryTimers(nowMicros: UInt64) {
        while let due = timers.popDue(nowMicros: nowMicros) {
            let stream = due.stream
            let pump = stream.pump(due.direction)
            guard !stream.isRetired, pump.wantsWrite, pump.retryAtMicros == due.deadline else { continue }
            let (source, destination) = due.direction == .c2s ? (stream.client, stream.server) : (stream.server, stream.client)
            guard advance(stream, pump, from: source, to: destination, destinationWritable: true, trigger: .timer) else { continue }
            settle(stream)
        }
    }

    /// Moves data of one direction until its source is dry, its destination blocks or a few
    /// rounds have passed (so one busy stream cannot starve the others). False when the
    /// stream ended with an error. `trigger` is why a blocked direction is tried again.
    private func advance(_ stream: RelayStream, _ pump: DirectionPump, from source: Int32, to destination: Int32,
                         destinationWritable: Bool, trigger: WaitRecovery = .event) -> Bool {
        if pump.wantsWrite && !destinationWritable { return true }
        for _ in 0..<8 {
            if pump.queued > 0 {
                switch pump.flush(to: destination, logger: logger, trigger: trigger) {
                case .drained: break
                case .blocked:
                    blocked(stream, pump, destination)
                    return true
                case .failed(let code):
                    finish(stream, as: .reset, reason: "write: \(errnoName(code))", abortClient: true)
                    return false
                }
            }
            guard pump.wantsRead else { break }
            switch pump.fill(from: source) {
            case .data: continue
            case .wouldBlock, .endOfStream: break
            case .failed(let code):
                finish(stream, as: .reset, reason: "read: \(errnoName(code))", abortClient: true)
                return false
            }
            break
        }
        if pump.queued > 0 {
            // Leftover from the round limit: flush once more so nothing waits for an event.
            switch pump.flush(to: destination, logger: logger) {
            case .drained: break
            case .blocked: blocked(stream, pump, destination)
            case .failed(let code):
                finish(stream, as: .reset, reason: "write: \(errnoName(code))", abortClient: true)
                return false
            }
        }
        return true
    }

    /// A write of `pump` is blocked (`wait`): its writable event or its retry timer resumes it.
    private func blocked(_ stream: RelayStream, _ pump: DirectionPump, _ destination: Int32) {
        let now = Clocks.monotonicMicros()
        poller.writeFailed(destination, nowMicros: now)
        timers.schedule(.init(deadline: pump.scheduleRetry(nowMicros: now), stream: stream,
                              direction: pump === stream.c2s ? .c2s : .s2c))
    }

    /// Propagates ends of stream, updates interests and retires a finished stream.
    private func settle(_ stream: RelayStream) {
        if stream.c2s.isFinished && !stream.serverWriteShut {
            shutdown(stream.server, Int32(SHUT_WR))
            stream.serverWriteShut = true
            registry.set(stream.record, to: .halfClosed)
        }
        if stream.s2c.isFinished && !stream.clientWriteShut {
            shutdown(stream.client, Int32(SHUT_WR))
            stream.clientWriteShut = true
            registry.set(stream.record, to: .halfClosed)
        }
        if stream.isFinished {
            finish(stream, as: .closed, reason: "both sides ended")
            return
        }
        updateInterest(stream, stream.client, \.clientInterest)
        updateInterest(stream, stream.server, \.serverInterest)
    }

    private func updateInterest(_ stream: RelayStream, _ fd: Int32, _ current: ReferenceWritableKeyPath<RelayStream, Interest?>) {
        let desired = stream.desiredInterest(of: fd)
        guard desired != stream[keyPath: current] else { return }
        if let desired { poller.modify(fd, desired) } else { poller.remove(fd) }
        stream[keyPath: current] = desired
    }

    /// Closes both sockets and records how the stream ended. A reset is passed on as a reset.
    private func finish(_ stream: RelayStream, as state: StreamState, reason: String, abortClient: Bool = false) {
        stream.isRetired = true
        for fd in [stream.client, stream.server] {
            poller.remove(fd)
            byFD[Int(fd)] = nil
            if abortClient { TCPSocket.abort(fd) } else { close(fd) }
        }
        for pump in [stream.c2s, stream.s2c] {
            pump.abandonEpisode(logger: logger)
            pump.counters.setQueued(bytes: 0)
        }
        registry.set(stream.record, to: state)
        let id = stream.record.identity.id
        let c2s = stream.record.c2s.bytes.relaxed, s2c = stream.record.s2c.bytes.relaxed
        if state == .closed {
            logger.info("stream \(id) closed (\(reason)): c2s \(c2s) B, s2c \(s2c) B")
        } else {
            logger.warning("stream \(id) \(state.label) (\(reason)): c2s \(c2s) B, s2c \(s2c) B")
        }
    }
}
