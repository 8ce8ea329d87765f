#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Telemetry

/// One side of a frame relay: where frames come from and go to, one frame per call.
///
/// Three kinds, all non-blocking descriptors on the relay's event loop:
/// - `connected`: a unix datagram socket connected to its peer (the agent's side towards a
///   network helper). Sends need no address and, on Linux, POLLOUT means room in the peer's queue.
/// - `listening`: a unix datagram socket bound at a path that a VMM sends to. Replies go to
///   the address of the last datagram received from a named socket (as vmnet-helper and
///   gvproxy do); POLLOUT on such an unconnected socket says nothing about the peer's queue.
/// - `tap`: a TAP device (read/write of whole Ethernet frames), the way a VMM drives a guest NIC.
final class FramePort {
    enum Kind { case connected, listening, tap }

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

    init(fd: Int32, kind: Kind, name: String, target: (sockaddr_un, socklen_t)? = nil) {
        self.fd = fd
        self.kind = kind
        self.name = name
        self.target = target
    }

    deinit { close(fd) }

    /// Whether POLLOUT on `fd` means the destination can take a frame (see `Kind`).
    var writableMeansRoom: Bool { kind != .listening }

    /// Reads one frame into `buffer`; returns its length, or -1 with errno set. On a listening
    /// socket the sender becomes the reply address when it has a name (an unnamed sender
    /// cannot be answered, so the previous address is kept).
    func receive(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        switch kind {
        case .tap:
            return read(fd, buffer.baseAddress, buffer.count)
        case .connected:
            return recv(fd, buffer.baseAddress, buffer.count, 0)
        case .listening:
            var length = socklen_t(MemoryLayout<sockaddr_un>.size)
            let n = withUnsafeMutablePointer(to: &from) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    recvfrom(fd, buffer.baseAddress, buffer.count, 0, $0, &length)
                }
            }
            if n >= 0 && Int(length) > MemoryLayout<sa_family_t>.size {
                peer = from
                peerLength = length
            }
            return n
        }
    }

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

    /// Sends one frame; returns the bytes sent, or -1 with errno set (ENOTCONN on a listening
    /// socket that has no reply address yet).
    func transmit(_ frame: UnsafeRawBufferPointer) -> Int {
        switch kind {
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
