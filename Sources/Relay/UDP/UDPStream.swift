#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Telemetry

/// One UDP client (address:port) and its two sockets: `client`, connected to the client on
/// the listen side, and `upstream`, connected to the target. `c2s` reads the first and sends
/// on the second, `s2c` the other way; replies therefore reach exactly the client they belong to.
final class UDPStream {
    let record: StreamRecord
    /// The stream's slot in the relay's flow table.
    let slot: Int
    let client: Int32
    let upstream: Int32
    let c2s: UDPDirection
    let s2c: UDPDirection
    /// What each socket is registered for, to skip redundant epoll_ctl calls.
    var clientInterest: Interest = [.read]
    var upstreamInterest: Interest = [.read]

    init(record: StreamRecord, slot: Int, client: Int32, upstream: Int32, config: UDPRelayConfiguration,
         stop: StopSignal, warnings: ThrottledWarnings) {
        self.record = record
        self.slot = slot
        self.client = client
        self.upstream = upstream
        let id = record.identity.id
        c2s = UDPDirection(counters: record.c2s, label: "stream \(id) c2s", from: client, to: upstream,
                           config: config, stop: stop, warnings: warnings)
        s2c = UDPDirection(counters: record.s2c, label: "stream \(id) s2c", from: upstream, to: client,
                           config: config, stop: stop, warnings: warnings)
    }

    /// Read a socket while the direction it feeds is free (and, for the client socket, while
    /// the listener holds none of this client's datagrams, which must go first); watch it for
    /// writability while the direction towards it is blocked.
    func desiredInterest(of fd: Int32, listenerHolds: Bool) -> Interest {
        let (inbound, outbound) = fd == client ? (c2s, s2c) : (s2c, c2s)
        var interest: Interest = []
        if !inbound.isBlocked && !(fd == client && listenerHolds) { interest.insert(.read) }
        if outbound.isBlocked { interest.insert(.write) }
        return interest
    }

    /// Counts any waiting datagram as dropped and closes both sockets.
    func closeSockets() {
        c2s.abandon()
        s2c.abandon()
        close(client)
        close(upstream)
    }
}
