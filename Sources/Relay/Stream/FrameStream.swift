#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Telemetry

/// The framing of a connected stream socket that carries Ethernet frames each after a 4-byte
/// big-endian length, as QEMU's `-netdev stream`, passt and socket_vmnet do: whole frames out
/// of whatever pieces `read` returns, and frames into whatever room `send` has.
///
/// Reading: bytes go into `inbound`, frames are copied out whole. A length over the largest
/// frame keeps the stream in step: the frame's first bytes are handed out (so it is counted
/// under its flow and dropped as `too_large`) and the rest is read and discarded, never
/// relayed. Writing: a frame is taken only when at least one byte of it fits, so a refused
/// frame (EAGAIN, or the policy's drop) never leaves a cut frame on the wire; the rest of a
/// frame the socket took in part waits in `outbound` (at most one frame) and goes before
/// anything else. Buffers are allocated once; nothing is allocated per frame.
final class FrameStream {
    /// The length prefix's size.
    static let headerBytes = 4
    /// Bytes of an over-long frame handed out for its flow to be known (headers of any kind fit).
    static let tooLargePeekBytes = 128

    let maxFrameBytes: Int
    private let inbound: UnsafeMutableRawBufferPointer
    private var inStart = 0, inEnd = 0
    /// Bytes of an over-long frame still to be read and discarded.
    private var skipping = 0
    private let outbound: UnsafeMutableRawBufferPointer
    private var outStart = 0, outEnd = 0
    /// The peer closed its side (read returned 0) or the socket failed: no more frames.
    private(set) var isClosed = false

    init(maxFrameBytes: Int) {
        self.maxFrameBytes = maxFrameBytes
        // Room for a whole frame and its header plus a generous read, so a read never has to
        // wait for a frame to be taken out before there is space.
        inbound = .allocate(byteCount: Self.headerBytes + maxFrameBytes + 64 * 1024, alignment: 16)
        outbound = .allocate(byteCount: Self.headerBytes + maxFrameBytes, alignment: 16)
    }

    deinit {
        inbound.deallocate()
        outbound.deallocate()
    }

    private var buffered: Int { inEnd - inStart }

    private func announcedLength() -> Int {
        Int(UInt32(bigEndian: UnsafeRawPointer(inbound.baseAddress! + inStart).loadUnaligned(as: UInt32.self)))
    }

    /// Whether `receive` would return a frame without reading from the socket: the relay's
    /// event loop must not wait for readability while such a frame is buffered.
    var hasBufferedFrame: Bool {
        if skipping > 0 { return buffered > 0 }
        guard buffered >= Self.headerBytes else { return false }
        let length = announcedLength()
        let needed = length > maxFrameBytes ? min(length, Self.tooLargePeekBytes) : length
        return buffered - Self.headerBytes >= needed
    }

    /// The next frame into `buffer` (at least `maxFrameBytes` long): its length; or a length
    /// above `maxFrameBytes` with only its start in `buffer` (an over-long frame, whose rest
    /// is discarded); or -1 with errno EAGAIN (no whole frame yet), or ECONNRESET once the
    /// peer closed or the socket failed (`isClosed`).
    func receive(from fd: Int32, into buffer: UnsafeMutableRawBufferPointer) -> Int {
        while true {
            if skipping > 0 {
                let n = min(skipping, buffered)
                skipping -= n
                inStart += n
            }
            if skipping == 0, let length = takeFrame(into: buffer) { return length }
            guard !isClosed else {
                errno = ECONNRESET
                return -1
            }
            compact()
            let n = read(fd, inbound.baseAddress! + inEnd, inbound.count - inEnd)
            if n > 0 {
                inEnd += n
                continue
            }
            if n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) { return -1 }
            isClosed = true
            errno = ECONNRESET
            return -1
        }
    }

    /// A whole frame out of `inbound`, or the start of an over-long one; nil until enough is buffered.
    private func takeFrame(into buffer: UnsafeMutableRawBufferPointer) -> Int? {
        guard hasBufferedFrame else { return nil }
        let length = announcedLength()
        let copied = length > maxFrameBytes ? min(length, Self.tooLargePeekBytes) : length
        let payload = inStart + Self.headerBytes
        buffer.baseAddress!.copyMemory(from: inbound.baseAddress! + payload, byteCount: copied)
        inStart = payload + copied
        skipping = length - copied
        if inStart == inEnd { inStart = 0; inEnd = 0 }
        return length
    }

    /// Moves a partial frame to the front, so the rest of it fits behind.
    private func compact() {
        guard inStart > 0 else { return }
        if buffered > 0 { inbound.baseAddress!.copyMemory(from: inbound.baseAddress! + inStart, byteCount: buffered) }
        inEnd = buffered
        inStart = 0
    }

    /// After the peer closed: the payload bytes of a frame it left unfinished (nil when it
    /// closed between frames), taken so they are counted once. A frame cut inside its length
    /// prefix has no payload yet and comes back empty.
    func takeCutFrame() -> UnsafeRawBufferPointer? {
        guard isClosed, skipping == 0, buffered > 0 else { return nil }
        let payload = UnsafeRawBufferPointer(rebasing: inbound[min(inStart + Self.headerBytes, inEnd)..<inEnd])
        inStart = 0
        inEnd = 0
        return payload
    }

    /// Bytes of an over-long frame the peer never finished (it closed while they were skipped).
    var unfinishedSkip: Int { isClosed ? skipping : 0 }

    // MARK: Writing

    /// Bytes of a frame taken in part that still wait for room.
    var pendingOutput: Int { outEnd - outStart }

    /// Sends the rest of a partly written frame; true when nothing waits any more. On a failure
    /// other than EAGAIN the stream is closed (errno kept).
    @discardableResult
    func flush(to fd: Int32) -> Bool {
        while pendingOutput > 0 {
            let n = send(fd, outbound.baseAddress! + outStart, pendingOutput, Int32(MSG_NOSIGNAL))
            if n < 0 {
                if errno == EINTR { continue }
                if errno != EAGAIN && errno != EWOULDBLOCK { isClosed = true }
                return false
            }
            outStart += n
        }
        outStart = 0
        outEnd = 0
        return true
    }

    /// Sends one frame with its length prefix: the frame's length once the socket took at least
    /// its first byte (the rest waits in `outbound`), or -1 with errno set when it took nothing
    /// (EAGAIN: no room, also while an earlier frame's rest is still waiting).
    func transmit(_ frame: UnsafeRawBufferPointer, to fd: Int32) -> Int {
        guard flush(to: fd) else {
            if !isClosed { errno = EAGAIN }
            return -1
        }
        var header = UInt32(frame.count).bigEndian
        let total = Self.headerBytes + frame.count
        let sent = withUnsafeMutableBytes(of: &header) { head -> Int in
            var parts = (iovec(iov_base: head.baseAddress, iov_len: Self.headerBytes),
                         iovec(iov_base: UnsafeMutableRawPointer(mutating: frame.baseAddress), iov_len: frame.count))
            return withUnsafeMutablePointer(to: &parts) { pointer in
                pointer.withMemoryRebound(to: iovec.self, capacity: 2) { iov in
                    var message = msghdr()
                    message.msg_iov = iov
                    message.msg_iovlen = frame.count > 0 ? 2 : 1
                    while true {
                        let n = sendmsg(fd, &message, Int32(MSG_NOSIGNAL))
                        if n >= 0 || errno != EINTR { return n }
                    }
                }
            }
        }
        if sent < 0 {
            if errno != EAGAIN && errno != EWOULDBLOCK { isClosed = true }
            return -1
        }
        if sent < total { keepRest(of: frame, header: header, sent: sent) }
        return frame.count
    }

    /// Copies what the socket did not take of the header and frame into `outbound`.
    private func keepRest(of frame: UnsafeRawBufferPointer, header: UInt32, sent: Int) {
        var header = header
        withUnsafeBytes(of: &header) { head in
            if sent < Self.headerBytes {
                outbound.baseAddress!.copyMemory(from: head.baseAddress! + sent, byteCount: Self.headerBytes - sent)
            }
        }
        let headerLeft = max(0, Self.headerBytes - sent)
        let frameSent = max(0, sent - Self.headerBytes)
        if frame.count > frameSent {
            (outbound.baseAddress! + headerLeft).copyMemory(from: frame.baseAddress! + frameSent, byteCount: frame.count - frameSent)
        }
        outStart = 0
        outEnd = headerLeft + frame.count - frameSent
    }
}
