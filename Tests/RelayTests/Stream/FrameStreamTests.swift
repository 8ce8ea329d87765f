#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Testing
@testable import Relay

/// The length-prefixed framing over a real socket pair: frames cut anywhere by reads and
/// writes come out whole, an over-long frame is skipped without losing step, a peer that
/// closes mid-frame leaves a cut frame to count, and a frame is never half-refused.
@Suite struct FrameStreamTests {
    /// A non-blocking socket pair: `ours` for the `FrameStream`, `peer` blocking for the test.
    final class Pair: @unchecked Sendable {
        let ours: Int32, peer: Int32
        init(sendBuffer: Int? = nil) {
            var fds: [Int32] = [0, 0]
            precondition(socketpair(AF_UNIX, TCPSocket.streamType, 0, &fds) == 0)
            ours = fds[0]
            peer = fds[1]
            TCPSocket.setNonBlocking(ours)
            if let sendBuffer { _ = SocketBuffers.set(ours, send: sendBuffer, receive: sendBuffer) }
            if let sendBuffer { _ = SocketBuffers.set(peer, send: sendBuffer, receive: sendBuffer) }
        }
        deinit { close(ours); close(peer) }
        func write(_ bytes: [UInt8]) { precondition(send(peer, bytes, bytes.count, 0) == bytes.count) }
        /// Reads exactly `count` bytes from the peer side.
        func read(_ count: Int) -> [UInt8] {
            var out: [UInt8] = []
            var buf = [UInt8](repeating: 0, count: 65536)
            while out.count < count {
                let n = recv(peer, &buf, min(buf.count, count - out.count), 0)
                precondition(n > 0)
                out += buf[0..<n]
            }
            return out
        }
    }

    static func framed(_ payload: [UInt8]) -> [UInt8] {
        withUnsafeBytes(of: UInt32(payload.count).bigEndian, Array.init) + payload
    }

    static func payload(_ size: Int, seed: Int) -> [UInt8] { (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 13 &+ seed) } }

    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: DatagramPump.maxFrameBytes, alignment: 16)

    /// `receive` as a result: the frame's bytes, or nil with errno.
    func receive(_ stream: FrameStream, _ fd: Int32) -> [UInt8]? {
        let n = stream.receive(from: fd, into: buffer)
        return n < 0 ? nil : Array(buffer[0..<min(n, buffer.count)])
    }

    @Test func framesCutAnywhereByTheWriterComeOutWhole() {
        let pair = Pair()
        let stream = FrameStream(maxFrameBytes: DatagramPump.maxFrameBytes)
        let frames = [Self.payload(1500, seed: 1), Self.payload(60, seed: 2), [], Self.payload(9000, seed: 3)]
        let wire = frames.flatMap(Self.framed)
        // Byte by byte up to the end of the second header, then in odd pieces.
        var offset = 0
        var received: [[UInt8]] = []
        let pieces = [1, 1, 1, 1, 700, 803, 3, 61, 4, 4, 5000]
        for piece in pieces + [wire.count - pieces.reduce(0, +)] {
            pair.write(Array(wire[offset..<offset + piece]))
            offset += piece
            while let frame = receive(stream, pair.ours) { received.append(frame) }
            #expect(errno == EAGAIN && !stream.isClosed)
        }
        #expect(offset == wire.count)
        #expect(received == frames)
        #expect(!stream.hasBufferedFrame)
    }

    @Test func manyFramesInOneReadAreHandedOutOneByOne() {
        let pair = Pair()
        let stream = FrameStream(maxFrameBytes: DatagramPump.maxFrameBytes)
        let frames = (0..<50).map { Self.payload(40 + $0, seed: $0) }
        pair.write(frames.flatMap(Self.framed))
        #expect(receive(stream, pair.ours) == frames[0])
        #expect(stream.hasBufferedFrame, "the rest is buffered: the relay must not wait for readability")
        var rest: [[UInt8]] = []
        while let frame = receive(stream, pair.ours) { rest.append(frame) }
        #expect(rest == Array(frames.dropFirst()))
    }

    @Test func aLengthOverTheMaximumIsSkippedAndTheStreamKeepsStep() {
        let pair = Pair(sendBuffer: 1 << 20)
        let max = 1000
        let stream = FrameStream(maxFrameBytes: max)
        let big = Self.payload(max + 1, seed: 9)
        let next = Self.payload(100, seed: 4)
        let writer = Thread { pair.write(Self.framed(big) + Self.framed(next)) }
        writer.start()
        var n = -1
        for _ in 0..<10_000 where n < 0 {
            n = stream.receive(from: pair.ours, into: buffer)
            if n < 0 { usleep(100) }
        }
        #expect(n == max + 1, "the announced length comes back, above the maximum")
        #expect(Array(buffer[0..<FrameStream.tooLargePeekBytes]) == Array(big.prefix(FrameStream.tooLargePeekBytes)))
        var after: [UInt8]?
        for _ in 0..<10_000 where after == nil {
            after = receive(stream, pair.ours)
            if after == nil { usleep(100) }
        }
        #expect(after == next)
    }

    @Test(arguments: [2, 4, 4 + 700])
    func aPeerClosingMidFrameLeavesACutFrame(cutAt: Int) {
        let pair = Pair()
        let stream = FrameStream(maxFrameBytes: DatagramPump.maxFrameBytes)
        let whole = Self.payload(300, seed: 5)
        let cut = Self.framed(Self.payload(1500, seed: 6))
        pair.write(Self.framed(whole) + cut.prefix(cutAt))
        shutdown(pair.peer, Int32(SHUT_WR))
        #expect(receive(stream, pair.ours) == whole)
        #expect(receive(stream, pair.ours) == nil && errno == ECONNRESET && stream.isClosed)
        let left = stream.takeCutFrame().map(Array.init)
        #expect(left == Array(cut[min(4, cutAt)..<cutAt]))
        #expect(stream.takeCutFrame() == nil, "counted once")
    }

    @Test func aPeerClosingBetweenFramesLeavesNothing() {
        let pair = Pair()
        let stream = FrameStream(maxFrameBytes: DatagramPump.maxFrameBytes)
        pair.write(Self.framed([1, 2, 3]))
        shutdown(pair.peer, Int32(SHUT_WR))
        #expect(receive(stream, pair.ours) == [1, 2, 3])
        #expect(receive(stream, pair.ours) == nil && stream.isClosed)
        #expect(stream.takeCutFrame() == nil)
    }

    /// A socket with little room takes part of a frame: the frame counts as taken, its rest
    /// waits, and the next frame is refused whole (EAGAIN) until the rest is through.
    @Test func aFrameTakenInPartIsFinishedBeforeTheNext() throws {
        let pair = Pair(sendBuffer: 4096)
        let stream = FrameStream(maxFrameBytes: DatagramPump.maxFrameBytes)
        let first = Self.payload(200_000, seed: 7)
        let second = Self.payload(500, seed: 8)
        let took = first.withUnsafeBytes { stream.transmit($0, to: pair.ours) }
        #expect(took == first.count)
        #expect(stream.pendingOutput > 0 && stream.pendingOutput < first.count + 4)
        let refused = second.withUnsafeBytes { stream.transmit($0, to: pair.ours) }
        #expect(refused == -1 && errno == EAGAIN)
        var wire: [UInt8] = []
        let expected = Self.framed(first) + Self.framed(second)
        var secondTaken = false
        for _ in 0..<100_000 where wire.count < expected.count {
            if !secondTaken && stream.flush(to: pair.ours) {
                secondTaken = second.withUnsafeBytes { stream.transmit($0, to: pair.ours) } == second.count
            } else {
                stream.flush(to: pair.ours)
            }
            var buf = [UInt8](repeating: 0, count: 65536)
            let n = recv(pair.peer, &buf, buf.count, Int32(MSG_DONTWAIT))
            if n > 0 { wire += buf[0..<n] }
        }
        #expect(secondTaken)
        #expect(wire == expected)
        #expect(stream.pendingOutput == 0)
    }

    @Test func aPeerGoneFailsTheWriteAndClosesTheStream() {
        let pair = Pair()
        let stream = FrameStream(maxFrameBytes: DatagramPump.maxFrameBytes)
        shutdown(pair.peer, Int32(SHUT_RDWR))
        let n = [UInt8](repeating: 1, count: 64).withUnsafeBytes { stream.transmit($0, to: pair.ours) }
        #expect(n == -1 && errno == EPIPE && stream.isClosed)
    }
}
