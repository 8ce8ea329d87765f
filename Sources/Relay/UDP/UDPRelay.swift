#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Logging
import Telemetry

/// The UDP side of `bpagent relay`: relays datagrams per client address:port, each client a
/// stream (`proto="udp"`) with its own socket on the listen side and its own upstream socket
/// connected to the target, on one event loop, counting every datagram per stream-direction.
///
/// A client's first datagrams arrive on the listening socket, which looks the client up in a
/// bounded `FlowTable` (a stream per slot; idle streams expire; beyond the cap datagrams are
/// dropped and counted under one overflow stream) and opens its stream; from then on the
/// kernel queues the client's datagrams on the client's own socket. Every datagram read ends
/// as one write or one counted drop, and the kernel's drops at each socket's receive queue
/// are counted too, so loss is attributed: before the agent, inside it, or after it.
///
/// `run()` owns every socket and counter write; only `requestStop()` may be called from
/// another thread, hence `@unchecked Sendable`.
public final class UDPRelay: @unchecked Sendable {
    public let registry: StreamRegistry
    /// The address actually listened on (differs from the configuration when port 0 was asked).
    public let boundAddress: SocketAddress
    let config: UDPRelayConfiguration
    let logger: Logger
    let warnings: ThrottledWarnings
    let buffers: UDPSocket.Buffers
    let poller: Poller
    private let waker: WakePipe
    let listener: Int32
    let stop = StopSignal()
    var table: FlowTable
    /// By flow-table slot, and by descriptor (a stream's two sockets both point at it).
    var streams: [UDPStream?]
    var byFD: [UDPStream?] = []
    /// Where datagrams without a stream are counted; opened on first use.
    var overflow: StreamRecord?
    /// The listening socket's read buffer, the sender of the datagram in it, its drop count.
    let listenerBuffer: UnsafeMutableRawBufferPointer
    let listenerSource = UnsafeMutablePointer<sockaddr_storage>.allocate(capacity: 1)
    var listenerDrops = KernelDropCount()
    /// A datagram the listener read for a stream whose `c2s` was blocked (`wait`): it stays in
    /// `listenerBuffer` and the listener reads nothing more until the stream takes it.
    var held: (stream: UDPStream, length: Int)?

    public init(config: UDPRelayConfiguration, registry: StreamRegistry, logger: Logger) throws(SystemError) {
        self.config = config
        self.registry = registry
        self.logger = logger
        warnings = ThrottledWarnings(logger: logger)
        buffers = UDPSocket.Buffers(send: config.sendBuffer, receive: config.receiveBuffer)
        poller = try Poller(kind: config.poller, writableFault: config.writableFault)
        guard let waker = WakePipe() else { throw SystemError("pipe") }
        self.waker = waker
        let (fd, steered) = try UDPSocket.makeListener(on: config.listen, buffers)
        listener = fd
        do {
            boundAddress = try SocketAddress(of: fd, local: true)
        } catch {
            close(fd)
            throw error
        }
        if !steered {
            logger.warning("udp \(boundAddress): no SO_REUSEPORT steering (BPF); a new client's first datagrams may be counted under another new client's stream")
        }
        table = FlowTable(capacity: config.maxStreams, idleTimeout: .microseconds(Int64(clamping: config.idleMicros)))
        streams = Array(repeating: nil, count: config.maxStreams)
        listenerBuffer = .allocate(byteCount: config.bufferSize, alignment: 16)
    }

    deinit {
        close(listener)
        listenerBuffer.deallocate()
        listenerSource.deallocate()
    }

    /// Asks `run()` to return soon. Safe from any thread.
    public func requestStop() {
        stop.request()
        waker.wake()
    }

    /// Relays until `requestStop()`; then counts any datagram still waiting as dropped and
    /// closes every stream.
    public func run() {
        poller.add(listener, [.read])
        poller.add(waker.readFD, [.read])
        var nextHousekeeping = Clocks.monotonicMicros() + 1_000_000
        while !stop.isRequested {
            poller.wait(timeoutMillis: 1000) { event in
                if event.fd == waker.readFD { return waker.drain() }
                // A pending socket error (an ICMP error from a peer) is reported whatever the
                // interest: read it, which clears it, rather than wake up for it again and again.
                if event.hangup { _ = TCPSocket.pendingError(event.fd) }
                let now = Clocks.monotonicMicros()
                if event.fd == listener {
                    drainListener(nowMicros: now)
                } else if Int(event.fd) < byFD.count, let stream = byFD[Int(event.fd)] {
                    serve(stream, event, nowMicros: now)
                }
            }
            let now = Clocks.monotonicMicros()
            if held != nil { releaseHeld(nowMicros: now) }
            if now >= nextHousekeeping {
                nextHousekeeping = now + 1_000_000
                housekeep(nowMicros: now)
            }
        }
        for slot in streams.indices { retire(slot, reason: "agent stopping") }
        if let overflow { registry.set(overflow, to: .closed) }
        publishTableCounts()
    }

    /// A readiness event on one of a stream's sockets: the direction blocked towards it may go
    /// on, the direction reading from it reads.
    private func serve(_ stream: UDPStream, _ event: PollEvent, nowMicros now: UInt64) {
        let fromClient = event.fd == stream.client
        let (inbound, outbound) = fromClient ? (stream.c2s, stream.s2c) : (stream.s2c, stream.c2s)
        if event.writable || event.hangup { outbound.retry(nowMicros: now) }
        if event.readable || event.hangup, !(fromClient && held?.stream === stream) { inbound.run(nowMicros: now) }
        table.touch(stream.slot, nowMicros: now)
        updateInterest(stream)
    }

    func updateInterest(_ stream: UDPStream) {
        let holds = held?.stream === stream
        let client = stream.desiredInterest(of: stream.client, listenerHolds: holds)
        if client != stream.clientInterest {
            poller.modify(stream.client, client)
            stream.clientInterest = client
        }
        let upstream = stream.desiredInterest(of: stream.upstream, listenerHolds: holds)
        if upstream != stream.upstreamInterest {
            poller.modify(stream.upstream, upstream)
            stream.upstreamInterest = upstream
        }
    }

    /// Once a second: expire idle streams, collect kernel drops after the last datagram read,
    /// publish the table's counts and forget old closed streams.
    private func housekeep(nowMicros now: UInt64) {
        table.removeIdle(nowMicros: now) { slot, _ in retire(slot, reason: "idle") }
        for case let stream? in streams {
            stream.c2s.pollKernelDrops()
            stream.s2c.pollKernelDrops()
        }
        if let drops = UDPSocket.drops(listener) { countListenerDrops(drops) }
        publishTableCounts()
        registry.prune(nowMicros: Clocks.wallMicros(), retentionMicros: config.closedRetentionMicros,
                       maxFinished: config.maxClosedStreams)
    }

    func publishTableCounts() {
        registry.setFlowTableCounts(evicted: table.evictedCount, overflowFrames: table.overflowCount)
    }

    /// Closes the stream in `slot` (idle, replaced, or the agent stopping); a datagram still
    /// waiting for it is counted as dropped.
    func retire(_ slot: Int, reason: String) {
        guard let stream = streams[slot] else { return }
        streams[slot] = nil
        if let held, held.stream === stream {
            stream.c2s.counters.recordDrop(.sendError, bytes: held.length)
            self.held = nil
            poller.modify(listener, [.read])
        }
        stream.c2s.pollKernelDrops()
        stream.s2c.pollKernelDrops()
        for fd in [stream.client, stream.upstream] {
            poller.remove(fd)
            byFD[Int(fd)] = nil
        }
        stream.closeSockets()
        registry.set(stream.record, to: .closed)
        let c2s = stream.record.c2s.writes.relaxed, s2c = stream.record.s2c.writes.relaxed
        logger.info("stream \(stream.record.identity.id) closed (\(reason)): c2s \(c2s) datagrams, s2c \(s2c) datagrams")
    }
}
