#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Testing
import Telemetry
@testable import Relay

/// The frame relay between real unix datagram sockets: every frame delivered unchanged and
/// in order, counted under its flow, and the books balance under every policy.
@Suite(.serialized) struct DatagramRelayTests {
    /// An IPv4/UDP frame from 10.0.0.`host`:`port` to 10.0.0.9:9000 with `size` payload bytes.
    static func frame(host: UInt8, port: UInt16, size: Int, seed: Int) -> [UInt8] {
        let udpLength = 8 + size
        var f: [UInt8] = [2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x08, 0x00]
        f += [0x45, 0, UInt8((20 + udpLength) >> 8), UInt8((20 + udpLength) & 0xff), 0, 0, 0, 0, 64, 17, 0, 0]
        f += [10, 0, 0, host, 10, 0, 0, 9]
        f += [UInt8(port >> 8), UInt8(port & 0xff), 0x23, 0x28, UInt8(udpLength >> 8), UInt8(udpLength & 0xff), 0, 0]
        return f + (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ seed) }
    }

    @Test(arguments: [RetryPolicy.wait, .spin], PollerTests.kinds)
    func everyFrameArrivesUnchangedAndIsCountedPerFlow(policy: RetryPolicy, poller: PollerKind) throws {
        let rig = try DatagramRig(policy: policy, injection: FaultInjection(every: 4, burst: 2), poller: poller)
        defer { rig.stop() }
        var sent: [[UInt8]] = []
        for i in 0..<60 {
            let f = Self.frame(host: UInt8(1 + i % 2), port: 40000, size: (i * 37) % 1400, seed: i)
            sent.append(f)
            rig.send(f)
            #expect(rig.receiveAtHelper() == f)
        }
        rig.waitForFrames(60)
        let streams = rig.registry.snapshot().streams
        #expect(streams.map(\.identity.peer) == ["10.0.0.1:40000", "10.0.0.2:40000"])
        #expect(streams.allSatisfy { $0.identity.local == "10.0.0.9:9000" && $0.identity.proto == "udp" })
        for (n, s) in streams.enumerated() {
            let mine = sent.enumerated().filter { $0.offset % 2 == n }.map(\.element)
            #expect(s.c2s.framesReceived == 30 && s.c2s.writes == 30 && s.c2s.drops.total == 0)
            #expect(s.c2s.bytes == UInt64(mine.reduce(0) { $0 + $1.count }))
            #expect(s.s2c.framesReceived == 0)
        }
        let events = streams.reduce(0) { $0 + $1.c2s.bufferFull.enobufs }
        let retries = streams.reduce(0) { $0 + $1.c2s.retries.enobufs }
        #expect(events == 15 && retries == 30)
    }

    @Test(arguments: [(RetryPolicy.drop, DropReason.policy, 1), (.sleep(micros: 1, maxRetries: 2), .retryBudget, 3)])
    func droppingPoliciesBalanceTheBooks(policy: RetryPolicy, reason: DropReason, burst: Int) throws {
        let rig = try DatagramRig(policy: policy, injection: FaultInjection(every: 3, burst: burst), poller: .poll)
        defer { rig.stop() }
        // One frame at a time, so the helper's queue never fills: every event is an injected one.
        for i in 0..<30 {
            let f = Self.frame(host: 1, port: 5000, size: 100 + i, seed: i)
            rig.send(f)
            if (i + 1) % 3 != 0 { #expect(rig.receiveAtHelper() == f) }
        }
        rig.waitForFrames(30)
        let s = try #require(rig.registry.snapshot().streams.first).c2s
        #expect(s.framesReceived == 30 && s.writes == 20 && s.drops[reason] == 10 && s.drops.total == 10)
        #expect(s.bytesReceived == s.bytes + s.dropBytes.total)
        #expect(s.bufferFull.enobufs == 10 && s.stallCount == 10)
    }

    /// A helper that does not read: its queue fills, the relay waits (real EAGAIN) without
    /// reading more from the VMM, and nothing is lost once the helper reads again.
    @Test(arguments: PollerTests.kinds)
    func waitHoldsFramesWhileTheHelperIsFull(poller: PollerKind) throws {
        let rig = try DatagramRig(policy: .wait, poller: poller)
        defer { rig.stop() }
        let frames = (0..<40).map { Self.frame(host: 3, port: 7, size: 200, seed: $0) }
        let sender = Thread { for f in frames { rig.send(f) } }
        sender.start()
        for _ in 0..<10_000 {
            if let s = rig.registry.snapshot().streams.first, s.c2s.bufferFull.eagain > 0 { break }
            usleep(1000)
        }
        for f in frames { #expect(rig.receiveAtHelper() == f) }
        rig.waitForFrames(40)
        let s = try #require(rig.registry.snapshot().streams.first).c2s
        #expect(s.bufferFull.eagain >= 1 && s.writes == 40 && s.drops.total == 0)
        #expect(s.retryMicros.spin == 0 && s.retryMicros.sleep == 0)
        #expect(s.waitRecoveries.total == s.stallCount, "every episode ended in a write")
    }

    /// A burst into a helper that starts reading late: the relay takes frames in batches
    /// (recvmmsg) and sends runs of them (sendmmsg) into a queue that fills part-way, yet every
    /// frame arrives once, unchanged and in order, and the injected failures are exactly
    /// every 5th write operation, 2 retries each, as with one send per frame.
    @Test(arguments: [RetryPolicy.wait, .spin])
    func batchesKeepOrderAndExactInjection(policy: RetryPolicy) throws {
        let rig = try DatagramRig(policy: policy, injection: FaultInjection(every: 5, burst: 2), poller: .epoll)
        defer { rig.stop() }
        let frames = (0..<500).map { Self.frame(host: UInt8(1 + $0 % 3), port: 6000, size: 64 + $0 % 300, seed: $0) }
        let sender = Thread { for f in frames { rig.send(f) } }
        sender.start()
        usleep(50_000)
        for f in frames { #expect(rig.receiveAtHelper() == f) }
        rig.waitForFrames(500)
        let streams = rig.registry.snapshot().streams.map(\.c2s)
        #expect(streams.map(\.framesReceived) == [167, 167, 166])
        #expect(streams.map(\.writes) == [167, 167, 166])
        #expect(streams.allSatisfy { $0.drops.total == 0 && $0.bytesReceived == $0.bytes })
        #expect(streams.reduce(0) { $0 + $1.bufferFull.enobufs } == 100)
        #expect(streams.reduce(0) { $0 + $1.retries.enobufs } == 200)
    }

    /// The relay stops while frames it read in one batch wait behind a blocked one: each is
    /// counted as received and dropped (`send_error`), none is lost from the books.
    @Test(.enabled(if: FileManager.default.fileExists(atPath: "/proc/sys/net/unix/max_dgram_qlen")))
    func stoppingWithABatchInHandBalancesTheBooks() throws {
        let rig = try DatagramRig(policy: .wait, poller: .epoll)
        let frames = (0..<25).map { Self.frame(host: 4, port: 7000, size: 100, seed: $0) }
        // Unchecked sends: those the stopped relay never takes in fail when it closes.
        let sender = Thread { for f in frames { _ = send(rig.vmm, f, f.count, 0) } }
        sender.start()
        // The helper never reads: its queue fills (Linux takes max_dgram_qlen + 1 datagrams),
        // the relay waits on the next frame and holds whatever else its last batch took.
        let queue = UInt64(try String(contentsOfFile: "/proc/sys/net/unix/max_dgram_qlen", encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines))! + 1
        for _ in 0..<10_000 where rig.framesReceived() <= queue { usleep(1000) }
        usleep(100_000)
        #expect(rig.stop())
        let s = try #require(rig.registry.snapshot().streams.first).c2s
        #expect(s.writes == queue)
        #expect(s.framesReceived == s.writes + s.drops.sendError && s.drops.total == s.drops.sendError)
        #expect(s.drops.sendError >= 1)
        #expect(s.bytesReceived == s.bytes + s.dropBytes.total)
    }

    /// The writable event never comes after a failure (libkrun's macOS bug): the retry timer
    /// ends every episode, nothing is lost, nothing reordered.
    @Test(arguments: PollerTests.kinds, [false, true])
    func theTimerEndsEpisodesWhenTheEventIsWithheld(poller: PollerKind, withheld: Bool) throws {
        let rig = try DatagramRig(policy: .wait, injection: FaultInjection(every: 3, burst: 1), poller: poller,
                                  writableFault: withheld ? WritableFault() : nil)
        defer { rig.stop() }
        for i in 0..<30 {
            let f = Self.frame(host: 5, port: 9, size: 50 + i, seed: i)
            rig.send(f)
            #expect(rig.receiveAtHelper() == f)
        }
        rig.waitForFrames(30)
        let s = try #require(rig.registry.snapshot().streams.first).c2s
        #expect(s.writes == 30 && s.bufferFull.enobufs == 10 && s.retries.enobufs == 10)
        #expect(s.waitRecoveries == (withheld ? PerRecovery(event: 0, timer: 10) : PerRecovery(event: 10, timer: 0)))
    }

    /// A datagram longer than the frame buffer is dropped whole and counted with its length.
    @Test func aFrameTooLargeIsDroppedWholeNotCut() throws {
        let rig = try DatagramRig(policy: .wait)
        defer { rig.stop() }
        _ = SocketBuffers.set(rig.vmm, send: 4 << 20, receive: 1 << 20)
        // Not IP (ethertype 0x0707): both count under one flow whatever their length.
        let big = [UInt8](repeating: 7, count: DatagramPump.maxFrameBytes + 1)
        let small = [UInt8](repeating: 7, count: 100)
        rig.send(big)
        rig.send(small)
        #expect(rig.receiveAtHelper() == small)
        rig.waitForFrames(2)
        let s = try #require(rig.registry.snapshot().streams.first).c2s
        #expect(s.framesReceived == 2 && s.writes == 1 && s.drops == PerReason(tooLarge: 1))
        #expect(s.bytesReceived == UInt64(big.count + small.count) && s.dropBytes.tooLarge == UInt64(big.count))
    }

    /// `spin` towards a helper that never reads blocks the loop, but a stop request still ends
    /// it: the frame being spun on is counted as dropped (`send_error`), so the books balance.
    @Test(arguments: [RetryPolicy.spin, .sleep(micros: 50, maxRetries: nil)])
    func aStopEndsAnEndlessRetry(policy: RetryPolicy) throws {
        let rig = try DatagramRig(policy: policy)
        var stopped = false
        defer { if !stopped { rig.stop() } }
        let frames = (0..<12).map { Self.frame(host: 4, port: 8, size: 100, seed: $0) }
        for f in frames { rig.send(f) }
        for _ in 0..<10_000 {
            if let s = rig.registry.snapshot().streams.first, s.c2s.bufferFull.eagain > 0 { break }
            usleep(1000)
        }
        stopped = true
        #expect(rig.stop(), "the relay stopped")
        let s = try #require(rig.registry.snapshot().streams.first).c2s
        #expect(s.bufferFull.eagain == 1 && s.stallCount == 1)
        #expect(s.framesReceived == s.writes + s.drops.sendError && s.drops.sendError == 1)
    }
}
