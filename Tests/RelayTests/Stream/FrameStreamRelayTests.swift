#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Logging
import Testing
import Telemetry
@testable import Relay

/// `bpagent stream` between real unix stream sockets: a VMM connects, the relay connects to a
/// helper; frames written in arbitrary pieces arrive whole, counted per flow, and the books
/// balance under every policy, also when the VMM closes in the middle of a frame.
@Suite(.serialized) struct FrameStreamRelayTests {
    final class Rig: @unchecked Sendable {
        let dir: String
        let registry = StreamRegistry()
        let relay: FrameStreamRelay
        let helperListener: Int32
        let vmm: Int32
        var helper: Int32 = -1
        private let thread: RelayThread

        init(policy: RetryPolicy = .wait, injection: FaultInjection? = nil) throws {
            dir = NSTemporaryDirectory() + "bpstream-\(UUID().uuidString.prefix(8))"
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            helperListener = try UnixStreamSocket.listening(at: dir + "/helper.sock", mode: 0o600)
            relay = try FrameStreamRelay(
                listen: dir + "/vm.sock", connect: dir + "/helper.sock",
                options: DatagramSocketOptions(sendBuffer: 1 << 20, receiveBuffer: 1 << 20, mode: 0o600),
                config: DatagramConfiguration(policy: policy, injection: injection), registry: registry,
                logger: Logger(label: "test"))
            thread = RelayThread(run: relay.run, stop: relay.requestStop)
            vmm = try UnixStreamSocket.connected(to: dir + "/vm.sock")
            // The test side blocks: a full socket makes the test wait, never fail.
            _ = fcntl(vmm, F_SETFL, fcntl(vmm, F_GETFL) & ~O_NONBLOCK)
            for _ in 0..<10_000 where helper < 0 {
                helper = UnixStreamSocket.nextConnection(on: helperListener) ?? -1
                if helper < 0 { usleep(1000) }
            }
            precondition(helper >= 0, "the relay connected to the helper")
            _ = fcntl(helper, F_SETFL, fcntl(helper, F_GETFL) & ~O_NONBLOCK)
        }

        @discardableResult
        func stop() -> Bool {
            let stopped = thread.stop()
            close(vmm)
            close(helper)
            close(helperListener)
            try? FileManager.default.removeItem(atPath: dir)
            return stopped
        }

        func write(_ bytes: [UInt8]) { precondition(send(vmm, bytes, bytes.count, 0) == bytes.count) }

        /// The helper reads one length-prefixed frame (nil at the end of the stream).
        func frameAtHelper() -> [UInt8]? {
            guard let head = read(4) else { return nil }
            let length = Int(head[0]) << 24 | Int(head[1]) << 16 | Int(head[2]) << 8 | Int(head[3])
            return length == 0 ? [] : read(length)
        }

        private func read(_ count: Int) -> [UInt8]? {
            var out: [UInt8] = []
            var buf = [UInt8](repeating: 0, count: 65536)
            while out.count < count {
                let n = recv(helper, &buf, min(buf.count, count - out.count), 0)
                guard n > 0 else { return nil }
                out += buf[0..<n]
            }
            return out
        }

        func waitForFrames(_ count: UInt64) {
            for _ in 0..<10_000 where framesReceived() < count { usleep(1000) }
        }

        func framesReceived() -> UInt64 {
            registry.snapshot().streams.reduce(0) { $0 + $1.c2s.framesReceived + $1.s2c.framesReceived }
        }
    }

    static let frame = DatagramRelayTests.frame
    static let framed = FrameStreamTests.framed

    @Test(arguments: [RetryPolicy.wait, .spin])
    func framesWrittenInPiecesArriveWholeAndCountedPerFlow(policy: RetryPolicy) throws {
        let rig = try Rig(policy: policy, injection: FaultInjection(every: 4, burst: 2))
        defer { rig.stop() }
        let frames = (0..<60).map { Self.frame(UInt8(1 + $0 % 2), 40000, ($0 * 37) % 1400, $0) }
        let wire = frames.flatMap(Self.framed)
        // Cut at odd places: inside headers, inside frames, across frames.
        var offset = 0
        var cut = 1
        while offset < wire.count {
            let n = min(cut, wire.count - offset)
            rig.write(Array(wire[offset..<offset + n]))
            offset += n
            cut = cut * 7 % 1999 + 1
        }
        for f in frames { #expect(rig.frameAtHelper() == f) }
        rig.waitForFrames(60)
        let streams = rig.registry.snapshot().streams
        #expect(streams.map(\.identity.peer) == ["10.0.0.1:40000", "10.0.0.2:40000"])
        for s in streams {
            #expect(s.c2s.framesReceived == 30 && s.c2s.writes == 30 && s.c2s.drops.total == 0)
            #expect(s.c2s.bytesReceived == s.c2s.bytes)
        }
        #expect(streams.reduce(0) { $0 + $1.c2s.bytes } == UInt64(frames.reduce(0) { $0 + $1.count }))
        #expect(streams.reduce(0) { $0 + $1.c2s.bufferFull.enobufs } == 15)
        #expect(streams.reduce(0) { $0 + $1.c2s.retries.enobufs } == 30)
    }

    /// `drop` gives up whole frames only: the helper reads every frame not dropped, intact.
    @Test func dropDropsWholeFramesAndTheBooksBalance() throws {
        let rig = try Rig(policy: .drop, injection: FaultInjection(every: 3, burst: 1))
        defer { rig.stop() }
        let frames = (0..<30).map { Self.frame(1, 5000, 100 + $0, $0) }
        rig.write(frames.flatMap(Self.framed))
        for (i, f) in frames.enumerated() where (i + 1) % 3 != 0 { #expect(rig.frameAtHelper() == f) }
        rig.waitForFrames(30)
        let s = try #require(rig.registry.snapshot().streams.first).c2s
        #expect(s.framesReceived == 30 && s.writes == 20 && s.drops == PerReason(policy: 10))
        #expect(s.bytesReceived == s.bytes + s.dropBytes.total)
    }

    /// A helper that does not read: the relay waits (real EAGAIN) and loses nothing.
    @Test func waitHoldsFramesWhileTheHelperIsFull() throws {
        let rig = try Rig(policy: .wait)
        defer { rig.stop() }
        let frames = (0..<400).map { Self.frame(3, 7, 8000, $0) }
        let writer = Thread { rig.write(frames.flatMap(Self.framed)) }
        writer.start()
        for _ in 0..<10_000 {
            if let s = rig.registry.snapshot().streams.first, s.c2s.bufferFull.eagain > 0 { break }
            usleep(1000)
        }
        for f in frames { #expect(rig.frameAtHelper() == f) }
        rig.waitForFrames(400)
        let s = try #require(rig.registry.snapshot().streams.first).c2s
        #expect(s.bufferFull.eagain >= 1 && s.writes == 400 && s.drops.total == 0)
    }

    /// The VMM hangs up completely while the relay waits on a full helper: every frame it sent
    /// still arrives once the helper reads, then the connection ends.
    @Test func aVMMHangingUpWhileTheHelperIsFullLosesNothing() throws {
        let rig = try Rig(policy: .wait)
        defer { rig.stop() }
        let frames = (0..<300).map { Self.frame(3, 8, 8000, $0) }
        let writer = Thread {
            rig.write(frames.flatMap(Self.framed))
            shutdown(rig.vmm, Int32(SHUT_RDWR))
        }
        writer.start()
        for _ in 0..<10_000 {
            if let s = rig.registry.snapshot().streams.first, s.c2s.bufferFull.eagain > 0 { break }
            usleep(1000)
        }
        for f in frames { #expect(rig.frameAtHelper() == f) }
        #expect(rig.frameAtHelper() == nil, "the helper's connection ends")
        let s = try #require(rig.registry.snapshot().streams.first)
        #expect(s.c2s.framesReceived == 300 && s.c2s.writes == 300 && s.c2s.drops.total == 0)
        #expect(s.state == .closed)
    }

    @Test func anOverLongFrameIsDroppedWholeAndTheNextStillArrives() throws {
        let rig = try Rig(policy: .wait)
        defer { rig.stop() }
        let big = [UInt8](repeating: 7, count: DatagramPump.maxFrameBytes + 1)
        let small = [UInt8](repeating: 7, count: 100)
        let writer = Thread { rig.write(Self.framed(big) + Self.framed(small)) }
        writer.start()
        #expect(rig.frameAtHelper() == small)
        rig.waitForFrames(2)
        let s = try #require(rig.registry.snapshot().streams.first).c2s
        #expect(s.framesReceived == 2 && s.writes == 1 && s.drops == PerReason(tooLarge: 1))
        #expect(s.bytesReceived == UInt64(big.count + small.count) && s.dropBytes.tooLarge == UInt64(big.count))
    }

    /// The VMM closes inside a frame: the whole frames before it arrive, the cut one is counted
    /// as received and dropped, and the helper's connection is closed.
    @Test func aVMMClosingMidFrameIsCountedAndEndsTheConnection() throws {
        let rig = try Rig(policy: .wait)
        defer { rig.stop() }
        let frames = (0..<5).map { Self.frame(4, 6000, 500, $0) }
        let cut = Self.framed(Self.frame(4, 6000, 900, 9))
        rig.write(frames.flatMap(Self.framed) + cut.prefix(300))
        shutdown(rig.vmm, Int32(SHUT_WR))
        for f in frames { #expect(rig.frameAtHelper() == f) }
        #expect(rig.frameAtHelper() == nil, "the helper's connection ends")
        rig.waitForFrames(6)
        let streams = rig.registry.snapshot().streams
        // The cut frame's headers announce more than came: it counts under a `truncated` flow of its own.
        #expect(streams.count == 2)
        let whole = try #require(streams.first), cutFlow = try #require(streams.last)
        #expect(whole.c2s.framesReceived == 5 && whole.c2s.writes == 5 && whole.c2s.drops.total == 0)
        #expect(cutFlow.identity.flow.hasPrefix("truncated"), "\(cutFlow.identity.flow)")
        #expect(cutFlow.c2s.framesReceived == 1 && cutFlow.c2s.writes == 0 && cutFlow.c2s.drops == PerReason(sendError: 1))
        #expect(cutFlow.c2s.dropBytes.sendError == 296 && cutFlow.c2s.bytesReceived == 296)
        #expect(streams.allSatisfy { $0.state == .closed })
    }

    @Test func helperFramesReachTheVMM() throws {
        let rig = try Rig(policy: .wait)
        defer { rig.stop() }
        let reply = Self.frame(9, 80, 1200, 3)
        let wire = Self.framed(reply)
        #expect(send(rig.helper, wire, wire.count, 0) == wire.count)
        var got: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 4096)
        while got.count < wire.count {
            let n = recv(rig.vmm, &buf, buf.count, 0)
            guard n > 0 else { break }
            got += buf[0..<n]
        }
        #expect(got == wire)
        rig.waitForFrames(1)
        let s = try #require(rig.registry.snapshot().streams.first)
        #expect(s.c2s.framesReceived == 1 && s.c2s.writes == 1, "the helper's frame opened the flow: it is the client")
    }
}
