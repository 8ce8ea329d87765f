#if canImport(Glibc)
import Glibc
import CSystemShims
#elseif canImport(Darwin)
import Darwin
#endif
import Telemetry

/// One side of a frame relay: where frames come from and go to, one frame per call, or a batch
/// per call on a unix datagram socket (and a batch of reads from a TAP).
///
/// Three kinds, all non-blocking descriptors on the relay's event loop:
/// - `connected`: a unix datagram socket connected to its peer (the agent's side towards a
///   network helper). Sends need no address and, on Linux, POLLOUT means room in the peer's queue.
/// - `listening`: a unix datagram socket bound at a path that a VMM sends to. Replies go to
///   the address of the last datagram received from a named socket (as vmnet-helper and
///   gvproxy do); POLLOUT on such an unconnected socket says nothing about the peer's queue.
/// - `tap`: a TAP device (read/write of whole Ethernet frames), the way a VMM drives a guest NIC.
/// - `stream`: a connected unix stream socket carrying length-prefixed frames (QEMU's
///   `-netdev stream`, passt, socket_vmnet); `FrameStream` cuts and joins the frames.
final class FramePort {
    enum Kind { case connected, listening, tap, stream }

    let fd: Int32
    let kind: Kind
    /// A short name for logs and the summary: the socket path or the interface name.
    let name: String
    /// The listening side's reply address; `peerLength` 0 until a named sender was seen.
    private var peer = sockaddr_un()
    private var peerLength: socklen_t = 0
    private var from = sockaddr_un()
    /// A connected port's peer, to connect again after the peer went away and came back.
    private var target: (address: sockaddr_un, length: socklen_t)?
    private var lastReconnectMicros: UInt64 = 0
    /// The socket file this port's bind created, removed with the port (also when the relay
    /// fails to start), never a file someone else has put there since.
    private let socketFile: UnixSocketFile?
    /// A `stream` port's framing.
    let framing: FrameStream?

    init(fd: Int32, kind: Kind, name: String, target: (sockaddr_un, socklen_t)? = nil, boundPath: String? = nil) {
        self.fd = fd
        self.kind = kind
        self.name = name
        self.target = target
        socketFile = boundPath.flatMap(UnixSocketFile.init(boundAt:))
        framing = kind == .stream ? FrameStream(maxFrameBytes: DatagramPump.maxFrameBytes) : nil
    }

    deinit {
        close(fd)
        socketFile?.remove()
    }

    /// Whether POLLOUT on `fd` means the destination can take a frame (see `Kind`).
    var writableMeansRoom: Bool { kind != .listening }

    /// Reads one frame into `buffer`; returns its length, or -1 with errno set. A datagram
    /// longer than `buffer` is never passed on cut: the length returned is then larger than
    /// `buffer.count` (the datagram's real length on Linux, `buffer.count + 1` where the system
    /// does not tell) and `buffer` holds only its start. On a listening socket the sender
    /// becomes the reply address when it has a name (an unnamed sender cannot be answered, so
    /// the previous address is kept).
    func receive(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        if let framing { return framing.receive(from: fd, into: buffer) }
        guard kind != .tap else { return read(fd, buffer.baseAddress, buffer.count) }
        var iov = iovec(iov_base: buffer.baseAddress, iov_len: buffer.count)
        var message = msghdr()
        let n = withUnsafeMutablePointer(to: &iov) { iov in
            withUnsafeMutablePointer(to: &from) { from in
                message.msg_iov = iov
                message.msg_iovlen = 1
                if kind == .listening {
                    message.msg_name = UnsafeMutableRawPointer(from)
                    message.msg_namelen = socklen_t(MemoryLayout<sockaddr_un>.size)
                }
                return recvmsg(fd, &message, Self.truncationFlag)
            }
        }
        if n >= 0 && kind == .listening && Int(message.msg_namelen) > MemoryLayout<sa_family_t>.size {
            peer = from
            peerLength = message.msg_namelen
        }
        if n >= 0 && message.msg_flags & Int32(MSG_TRUNC) != 0 { return max(n, buffer.count + 1) }
        return n
    }

    /// Whether `receive(into: FrameBatch)` and `transmit(_:from:count:)` move several frames
    /// per system call (recvmmsg, sendmmsg): a unix datagram socket on Linux.
    var movesBatches: Bool {
        #if os(Linux)
        kind == .connected || kind == .listening
        #else
        false
        #endif
    }

    /// Whether `receive(into: FrameBatch)` fills a batch: a unix datagram socket (one recvmmsg)
    /// or a TAP device (reads until it has no frame left or the batch is full: as many reads
    /// as one frame at a time, but the frames then go out in one sendmmsg).
    var readsBatches: Bool { movesBatches || kind == .tap }

    /// Reads up to `batch.capacity` frames into `batch` (its lengths as `receive(into:)` says);
    /// returns how many, or -1 with errno set when there was none. On a listening socket the
    /// last named sender becomes the reply address.
    func receive(into batch: FrameBatch) -> Int {
        batch.count = 0
        batch.next = 0
        batch.countedEnd = 0
        if kind == .tap || batch.capacity == 1 || !movesBatches {
            let wanted = kind == .tap ? batch.capacity : 1
            while batch.count < wanted {
                let n = receive(into: batch.buffer(batch.count))
                // A failure after the first frame (EAGAIN: the TAP is empty) ends the batch; any
                // other comes back from the next read.
                guard n >= 0 else { return batch.count > 0 ? batch.count : -1 }
                batch.lengths[batch.count] = n
                batch.count += 1
            }
            return batch.count
        }
        #if os(Linux)
        let listening = kind == .listening
        let n = Int(bp_recv_frames(fd, batch.buffers, batch.frameBytes, Int32(batch.capacity), batch.lengths,
                                   listening ? UnsafeMutableRawPointer(batch.names) : nil, batch.nameLengths))
        guard n > 0 else { return n }
        batch.count = n
        if listening, let last = (0..<n).last(where: { Int(batch.nameLengths[$0]) > MemoryLayout<sa_family_t>.size }) {
            peer = batch.names[last]
            peerLength = socklen_t(batch.nameLengths[last])
        }
        return n
        #else
        return -1
        #endif
    }

    /// Linux: recvmsg returns a datagram's real length even when it did not fit.
    #if os(Linux)
    private static let truncationFlag = Int32(MSG_TRUNC)
    #else
    private static let truncationFlag: Int32 = 0
    #endif

    /// The helper went away (its socket closed: ECONNREFUSED, then ENOTCONN): connect again,
    /// at most once a second, so frames flow again as soon as a helper is bound at the path.
    /// The frame that failed stays failed (errno is kept for the caller).
    private func reconnect() {
        let code = errno
        defer { errno = code }
        guard var target else { return }
        let now = Clocks.monotonicMicros()
        guard now &- lastReconnectMicros >= 1_000_000 else { return }
        lastReconnectMicros = now
        _ = withUnsafePointer(to: &target.address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, target.length) }
        }
    }

    /// Sends `count` frames of `batch` from `first` on (a port that `movesBatches`); returns
    /// how many went (the first ones), or -1 with errno set when none did.
    func transmit(_ batch: FrameBatch, from first: Int, count: Int) -> Int {
        #if os(Linux)
        switch kind {
        case .listening:
            guard peerLength > 0 else {
                errno = ENOTCONN
                return -1
            }
            return withUnsafePointer(to: &peer) {
                Int(bp_send_frames(fd, batch.buffers + first, batch.lengths + first, Int32(count), $0, peerLength))
            }
        default:
            return Int(bp_send_frames(fd, batch.buffers + first, batch.lengths + first, Int32(count), nil, 0))
        }
        #else
        errno = EOPNOTSUPP
        return -1
        #endif
    }

    /// Sends one frame; returns the bytes sent, or -1 with errno set (ENOTCONN on a listening
    /// socket that has no reply address yet).
    func transmit(_ frame: UnsafeRawBufferPointer) -> Int {
        switch kind {
        case .stream:
            return framing!.transmit(frame, to: fd)
        case .tap:
            return write(fd, frame.baseAddress, frame.count)
        case .connected:
            let n = send(fd, frame.baseAddress, frame.count, 0)
            if n < 0 && (errno == ECONNREFUSED || errno == ENOTCONN) { reconnect() }
            return n
        case .listening:
            guard peerLength > 0 else {
                errno = ENOTCONN
                return -1
            }
            return withUnsafePointer(to: &peer) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    sendto(fd, frame.baseAddress, frame.count, 0, $0, peerLength)
                }
            }
        }
    }
}
