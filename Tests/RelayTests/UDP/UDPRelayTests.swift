#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Testing
import Telemetry
@testable import Relay

/// The UDP relay between real loopback sockets: datagrams whole and in order both ways per
/// client, exact counts under every policy, the cap, idle expiry and the kernel's own drops.
@Suite(.serialized) struct UDPRelayTests {
    typealias Rig = UDPRig

    @Test func eachClientIsAStreamAndGetsItsOwnReplies() throws {
        let rig = try Rig()
        defer { rig.stop() }
        let clients = [rig.client(), rig.client()]
        var upstream: [sockaddr_storage] = []
        for (n, client) in clients.enumerated() {
            for i in 0..<3 {
                let d = Rig.datagram(100 + 10 * i + n, seed: i)
                rig.send(client, d)
                let (got, from) = rig.receiveAtTarget()
                #expect(got == d)
                if i == 0 { upstream.append(from) }
            }
        }
        // Replies go to the upstream socket each client's datagrams came from, and back to that client only.
        for (n, client) in clients.enumerated() {
            for i in 0..<2 {
                let d = Rig.datagram(1000 + n, seed: 7 * i)
                rig.reply(to: upstream[n], d)
                #expect(rig.receive(client) == d)
            }
        }
        let s = rig.waitUntil { $0.streams.reduce(0) { $0 + $1.s2c.writes } == 4 }
        #expect(s.streams.map(\.identity.proto) == ["udp", "udp"])
        #expect(s.streams.map(\.identity.peer) == clients.map(Rig.port))
        for (n, stream) in s.streams.enumerated() {
            #expect(stream.identity.local == rig.relay.boundAddress.description)
            #expect(stream.state == .open)
            #expect(stream.c2s.framesReceived == 3 && stream.c2s.writes == 3 && stream.c2s.drops.total == 0)
            #expect(stream.c2s.bytes == UInt64(330 + 3 * n) && stream.c2s.bytesReceived == stream.c2s.bytes)
            #expect(stream.s2c.framesReceived == 2 && stream.s2c.writes == 2 && stream.s2c.bytes == UInt64(2000 + 2 * n))
            #expect(stream.c2s.kernelDrops == 0 && stream.s2c.kernelDrops == 0)
        }
    }

    @Test func injectedENOBUFSUnderWaitIsRetriedAndCountedExactly() throws {
        let rig = try Rig(policy: .wait, injection: FaultInjection(every: 3, burst: 2))
        defer { rig.stop() }
        let client = rig.client()
        var upstream = sockaddr_storage()
        for i in 0..<30 {
            let d = Rig.datagram(200 + i, seed: i)
            rig.send(client, d)
            let (got, from) = rig.receiveAtTarget()
            #expect(got == d)
            upstream = from
            rig.reply(to: upstream, d)
            #expect(rig.receive(client) == d)
        }
        let s = try rig.firstStream { $0.s2c.settled(30) }
        for d in [s.c2s, s.s2c] {
            #expect(d.framesReceived == 30 && d.writes == 30 && d.drops.total == 0)
            #expect(d.bufferFull.enobufs == 10 && d.retries.enobufs == 20 && d.stallCount == 10)
            #expect(d.bufferFull.eagain == 0 && d.queuedBytes == 0)
        }
    }

    @Test(arguments: [(RetryPolicy.drop, DropReason.policy, 1), (.sleep(micros: 1, maxRetries: 2), .retryBudget, 3)])
    func droppingPoliciesGiveTheDatagramUpAndCountIt(policy: RetryPolicy, reason: DropReason, burst: Int) throws {
        let rig = try Rig(policy: policy, injection: FaultInjection(every: 3, burst: burst))
        defer { rig.stop() }
        let client = rig.client()
        for i in 0..<30 {
            let d = Rig.datagram(100 + i, seed: i)
            rig.send(client, d)
            if (i + 1) % 3 != 0 { #expect(rig.receiveAtTarget().datagram == d) }
        }
        let s = try rig.firstStream { $0.c2s.settled(30) }.c2s
        #expect(s.writes == 20 && s.drops[reason] == 10 && s.drops.total == 10)
        let dropped: UInt64 = (0..<10).map { UInt64(100 + 3 * $0 + 2) }.reduce(0, +)
        #expect(s.dropBytes[reason] == dropped)
        #expect(s.bytesReceived == s.bytes + s.dropBytes.total)
        #expect(s.bufferFull.enobufs == 10 && s.stallCount == 10)
        #expect(Rig.isEmpty(rig.target))
    }

    /// Whether the datagram is a client's first (read by the listening socket) or a later one
    /// (its own socket), one larger than the buffer is dropped whole, never cut.
    @Test func aDatagramLargerThanTheBufferIsDroppedWholeNeverCut() throws {
        let rig = try Rig(bufferSize: 4096)
        defer { rig.stop() }
        let client = rig.client()
        let sizes = [5000, 4096, 65_507, 100]
        for (i, size) in sizes.enumerated() { rig.send(client, Rig.datagram(size, seed: i)) }
        #expect(rig.receiveAtTarget().datagram == Rig.datagram(4096, seed: 1))
        #expect(rig.receiveAtTarget().datagram == Rig.datagram(100, seed: 3))
        let s = try rig.firstStream { $0.c2s.settled(4) }.c2s
        #expect(s.writes == 2 && s.bytes == 4196)
        #expect(s.drops.tooLarge == 2 && s.dropBytes.tooLarge == 70_507 && s.drops.total == 2)
        #expect(s.bytesReceived == 74_703)
        #expect(Rig.isEmpty(rig.target))
    }

    @Test func clientsBeyondTheCapAreCountedUnderTheOverflowStream() throws {
        let rig = try Rig(maxStreams: 2)
        defer { rig.stop() }
        let clients = (0..<3).map { _ in rig.client() }
        for (n, client) in clients.enumerated() {
            for i in 0..<2 {
                rig.send(client, Rig.datagram(50 + n, seed: i))
                if n < 2 { #expect(rig.receiveAtTarget().datagram == Rig.datagram(50 + n, seed: i)) }
            }
        }
        let s = rig.waitUntil { $0.streams.count == 3 && $0.streams[2].c2s.drops.noStream == 2 }
        #expect(s.agent.flowOverflowFrames == 2)
        #expect(s.streams.map(\.identity.proto) == ["udp", "udp", "overflow"])
        let overflow = s.streams[2].c2s
        #expect(overflow.framesReceived == 2 && overflow.drops.noStream == 2 && overflow.dropBytes.noStream == 104)
        #expect(overflow.writes == 0 && s.agent.connectFailures == 0)
        #expect(Rig.isEmpty(rig.target))
    }

    @Test func anIdleStreamClosesAndItsSlotServesTheNextClient() throws {
        let rig = try Rig(maxStreams: 1, idleMicros: 200_000)
        defer { rig.stop() }
        let first = rig.client(), second = rig.client()
        rig.send(first, [1])
        #expect(rig.receiveAtTarget().datagram == [1])
        let s = rig.waitUntil { $0.agent.flowsEvicted == 1 }
        #expect(s.streams.first?.state == .closed)
        rig.send(second, [2])
        #expect(rig.receiveAtTarget().datagram == [2])
        let after = rig.registry.snapshot()
        #expect(after.streams.map(\.identity.peer) == [Rig.port(first), Rig.port(second)])
        #expect(after.streams.map(\.state) == [.closed, .open] && after.agent.flowOverflowFrames == 0)
    }

    /// The relay is held for a second (a `sleep=1s` retry of an injected ENOBUFS) while a burst
    /// overflows its small receive queue: every datagram sent is either read by the agent or
    /// counted as dropped by the kernel, exactly.
    @Test func theKernelsDropsAtTheAgentsQueueAreCounted() throws {
        let rig = try Rig(policy: .sleep(micros: 1_000_000, maxRetries: nil), injection: FaultInjection(every: 50),
                          receiveBuffer: 4096)
        defer { rig.stop() }
        let client = rig.client()
        // One at a time, so nothing overflows yet (the listening socket's queue is as small).
        for i in 0..<49 {
            rig.send(client, Rig.datagram(1400, seed: i))
            #expect(rig.receiveAtTarget().datagram == Rig.datagram(1400, seed: i))
        }
        rig.send(client, Rig.datagram(1400, seed: 49))
        _ = try rig.firstStream { $0.c2s.bufferFull.enobufs == 1 }
        for i in 0..<40 { rig.send(client, Rig.datagram(1400, seed: 50 + i)) }
        let s = try rig.firstStream { $0.c2s.settled(90 - $0.c2s.kernelDrops) }.c2s
        #expect(s.framesReceived + s.kernelDrops == 90)
        #expect(s.kernelDrops > 0 && s.writes == s.framesReceived && s.drops.total == 0)
        #expect(rig.registry.snapshot().streams.count == 1, "no datagram was left to the listener")
    }

    /// A socket that joins the listener's SO_REUSEPORT group without connecting (what a new
    /// client's socket is for a moment) never receives a datagram: every new client is still
    /// seen by the listener and gets a stream.
    @Test func anUnconnectedGroupMemberNeverTakesANewClientsDatagram() throws {
        let rig = try Rig()
        defer { rig.stop() }
        let member = socket(AF_INET, UDPSocket.datagramType, 0)
        defer { close(member) }
        TCPSocket.setOption(member, SOL_SOCKET, SO_REUSEPORT, 1)
        #expect(rig.relay.boundAddress.withSockaddr { bind(member, $0, $1) } == 0)
        for n in 0..<16 {
            let client = rig.client()
            rig.send(client, [UInt8(n)])
            #expect(rig.receiveAtTarget().datagram == [UInt8(n)])
        }
        #expect(rig.registry.snapshot().streams.count == 16)
        #expect(Rig.isEmpty(member))
    }
}
