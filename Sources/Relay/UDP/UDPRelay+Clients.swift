#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CSystemShims
import Telemetry

/// The listening socket's side: who a datagram is from, opening a stream for a new client,
/// and counting datagrams that have no stream.
extension UDPRelay {
    /// Reads what the listener has: each datagram goes to its client's stream (opened on the
    /// first), or is dropped and counted (`no_stream`) when the client cannot have one.
    func drainListener(nowMicros now: UInt64) {
        guard held == nil else { return }
        let failure = UDPSocket.readDatagrams(from: listener, into: listenerBuffer, sender: listenerSource,
                                              budget: UDPDirection.datagramsPerRound) { n, info, sourceLength in
            if info.has_drops != 0 { countListenerDrops(info.drops) }
            guard let stream = stream(forSourceOf: sourceLength, nowMicros: now) else {
                let counters = overflowRecord().c2s
                counters.recordReceived(bytes: n)
                counters.recordDrop(.noStream, bytes: n)
                return true
            }
            if stream.c2s.isBlocked && info.truncated == 0 {
                held = (stream, n)
                poller.modify(listener, [])
                updateInterest(stream)
                return false
            }
            stream.c2s.forward(UnsafeRawBufferPointer(listenerBuffer), length: n, truncated: info.truncated != 0, nowMicros: now)
            updateInterest(stream)
            return true
        }
        if failure != 0 {
            warnings.warn(nowMicros: now) { "udp \(boundAddress): receive: \(String(cString: strerror(failure)))" }
        }
    }

    /// Hands the held datagram to its stream once the stream's `c2s` is free, then reads on.
    func releaseHeld(nowMicros now: UInt64) {
        guard let (stream, length) = held, !stream.c2s.isBlocked else { return }
        held = nil
        stream.c2s.forward(UnsafeRawBufferPointer(listenerBuffer), length: length, truncated: false, nowMicros: now)
        poller.modify(listener, [.read])
        updateInterest(stream)
        drainListener(nowMicros: now)
    }

    /// The stream of the client in `listenerSource`; nil when it has none (the table is full
    /// of active streams, or its sockets could not be made).
    private func stream(forSourceOf length: socklen_t, nowMicros now: UInt64) -> UDPStream? {
        let entry = table.lookup(FlowKey(udpClient: listenerSource), nowMicros: now)
        switch entry.event {
        case .existing:
            return streams[entry.slot] ?? open(entry.slot, sourceLength: length, nowMicros: now)
        case .inserted:
            return open(entry.slot, sourceLength: length, nowMicros: now)
        case .replaced:
            retire(entry.slot, reason: "idle, slot taken by a new client")
            publishTableCounts()
            return open(entry.slot, sourceLength: length, nowMicros: now)
        case .overflow:
            publishTableCounts()
            warnings.warn(nowMicros: now) {
                "udp \(boundAddress): \(config.maxStreams) streams open (--max-udp-streams); datagrams of further clients are dropped (reason no_stream)"
            }
            return nil
        }
    }

    /// Opens the stream of a new client: its own socket on the listen side, an upstream socket.
    private func open(_ slot: Int, sourceLength: socklen_t, nowMicros now: UInt64) -> UDPStream? {
        let client: Int32, upstream: Int32
        do {
            client = try UDPSocket.makeClientSide(at: boundAddress, client: listenerSource, length: sourceLength, buffers)
            do {
                upstream = try UDPSocket.makeUpstream(to: config.connect, buffers)
            } catch {
                close(client)
                throw error
            }
        } catch {
            registry.countConnectFailure()
            let who = SocketAddress(copying: listenerSource, length: sourceLength)
            warnings.warn(nowMicros: now) { "udp client \(who): \(error); its datagrams are dropped (reason no_stream)" }
            return nil
        }
        let local = (try? SocketAddress(of: client, local: true))?.description ?? "?"
        let peer = (try? SocketAddress(of: client, local: false))?.description ?? "?"
        let upstreamLocal = (try? SocketAddress(of: upstream, local: true))?.description ?? "?"
        let identity = StreamIdentity(id: 0, proto: "udp", local: local, peer: peer, upstreamLocal: upstreamLocal,
                                      upstreamPeer: config.connect.description)
        let stream = UDPStream(record: registry.open(identity), slot: slot, client: client, upstream: upstream,
                               config: config, stop: stop, warnings: warnings)
        streams[slot] = stream
        let needed = Int(max(client, upstream)) + 1
        if byFD.count < needed { byFD.append(contentsOf: repeatElement(nil, count: needed - byFD.count)) }
        byFD[Int(client)] = stream
        byFD[Int(upstream)] = stream
        poller.add(client, [.read])
        poller.add(upstream, [.read])
        logger.debug("stream \(stream.record.identity.id): udp \(peer) → \(local), upstream \(upstreamLocal) → \(config.connect)")
        return stream
    }

    /// The overflow stream: datagrams of clients without a stream, and the listener's kernel
    /// drops (whose senders nobody knows).
    func overflowRecord() -> StreamRecord {
        if let overflow { return overflow }
        let record = registry.open(StreamIdentity(
            id: 0, proto: "overflow", local: boundAddress.description, peer: "",
            flow: "udp datagrams without a stream (beyond \(config.maxStreams) clients, or not yet assigned)"))
        overflow = record
        return record
    }

    func countListenerDrops(_ reading: UInt32) {
        let added = listenerDrops.advance(to: reading)
        if added > 0 { overflowRecord().c2s.recordKernelDrops(added) }
    }
}

extension SocketAddress {
    /// A copy of a socket address the kernel filled in (recvmsg's sender).
    init(copying address: UnsafePointer<sockaddr_storage>, length: socklen_t) {
        storage = address.pointee
        self.length = length
    }
}
