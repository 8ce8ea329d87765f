#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CSystemShims

/// The UDP sockets of the relay, all non-blocking and close-on-exec, with the configured
/// buffer sizes and the kernel's drop count attached to every datagram (SO_RXQ_OVFL).
///
/// Each client gets a socket of its own on the listen side, as iperf3's server does: bound to
/// the listen address in the listener's SO_REUSEPORT group and connected to the client, so the
/// kernel queues that client's datagrams apart from everyone else's. Its receive queue, and
/// the drops when it overflows, then belong to one stream. The group hands every datagram no
/// connected member matches to the listener (see `bp_reuseport_to_first`), so a member bound
/// but not yet connected never takes another client's datagram.
enum UDPSocket {
    #if canImport(Glibc)
    static let datagramType = Int32(SOCK_DGRAM.rawValue)
    #else
    static let datagramType = SOCK_DGRAM
    #endif

    struct Buffers {
        var send: Int
        var receive: Int
    }

    /// The listening socket: the first member of the SO_REUSEPORT group of `address`. The
    /// second value is false when the group could not be told to prefer it (no BPF), which
    /// the relay logs.
    static func makeListener(on address: SocketAddress, _ buffers: Buffers) throws(SystemError) -> (fd: Int32, steered: Bool) {
        let fd = try make(address.family, buffers, "listen on udp \(address)")
        TCPSocket.setOption(fd, SOL_SOCKET, SO_REUSEPORT, 1)
        guard address.withSockaddr({ bind(fd, $0, $1) }) == 0 else { throw closing(fd, "listen on udp \(address)") }
        return (fd, bp_reuseport_to_first(fd) == 0)
    }

    /// A client's own socket: in the listener's group at `local`, connected to `client`.
    static func makeClientSide(at local: SocketAddress, client: UnsafePointer<sockaddr_storage>, length: socklen_t,
                               _ buffers: Buffers) throws(SystemError) -> Int32 {
        let fd = try make(local.family, buffers, "socket")
        TCPSocket.setOption(fd, SOL_SOCKET, SO_REUSEPORT, 1)
        guard local.withSockaddr({ bind(fd, $0, $1) }) == 0 else { throw closing(fd, "bind \(local)") }
        let rc = client.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, length) }
        guard rc == 0 else { throw closing(fd, "connect to the client") }
        return fd
    }

    /// A stream's upstream socket: an ephemeral port connected to `address`, so only the
    /// target's replies arrive on it and its POLLOUT means room to send.
    static func makeUpstream(to address: SocketAddress, _ buffers: Buffers) throws(SystemError) -> Int32 {
        let fd = try make(address.family, buffers, "socket")
        guard address.withSockaddr({ connect(fd, $0, $1) }) == 0 else { throw closing(fd, "connect \(address)") }
        return fd
    }

    /// Reads up to `budget` datagrams from `fd` into `buffer`, one at a time, handing each to
    /// `body` with its whole length (Linux reports it also when the datagram did not fit: then
    /// `info.truncated` is set), what else recvmsg learnt, and the length of its sender's address
    /// in `sender`; `body` returns false to stop. Returns 0 once the socket is dry, the budget
    /// spent or `body` stopped, else the errno that ended the reading. ECONNREFUSED (a connected
    /// socket's report of an ICMP error: the peer's port closed) is read past: the datagrams
    /// queued behind it are still there.
    @inline(__always)
    static func readDatagrams(from fd: Int32, into buffer: UnsafeMutableRawBufferPointer,
                              sender: UnsafeMutablePointer<sockaddr_storage>? = nil, budget: Int,
                              _ body: (_ length: Int, _ info: bp_datagram, _ senderLength: socklen_t) -> Bool) -> Int32 {
        var info = bp_datagram()
        for _ in 0..<budget {
            var senderLength = socklen_t(MemoryLayout<sockaddr_storage>.size)
            let n = bp_recv_datagram(fd, buffer.baseAddress, buffer.count, sender.map { UnsafeMutableRawPointer($0) },
                                     &senderLength, &info)
            if n < 0 {
                switch errno {
                case EAGAIN, EWOULDBLOCK: return 0
                case ECONNREFUSED, EINTR: continue
                case let code: return code
                }
            }
            guard body(n, info, senderLength) else { return 0 }
        }
        return 0
    }

    /// The socket's kernel drop count now (SO_MEMINFO); nil where the system has none.
    static func drops(_ fd: Int32) -> UInt32? {
        var drops: UInt32 = 0
        return bp_socket_drops(fd, &drops) == 0 ? drops : nil
    }

    private static func make(_ family: Int32, _ buffers: Buffers, _ what: String) throws(SystemError) -> Int32 {
        let fd = socket(family, datagramType, 0)
        guard fd >= 0 else { throw SystemError(what) }
        TCPSocket.setNonBlocking(fd)
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        _ = SocketBuffers.set(fd, send: buffers.send, receive: buffers.receive)
        _ = bp_watch_drops(fd)
        return fd
    }

    private static func closing(_ fd: Int32, _ what: String) -> SystemError {
        let error = SystemError(what)
        close(fd)
        return error
    }
}
