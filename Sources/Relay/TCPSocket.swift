#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The few socket calls the TCP relay makes, each returning a non-blocking descriptor.
enum TCPSocket {
    #if canImport(Glibc)
    static let streamType = Int32(SOCK_STREAM.rawValue)
    #else
    static let streamType = SOCK_STREAM
    #endif

    static func setNonBlocking(_ fd: Int32) {
        let flags = fcntl(fd, F_GETFL)
        _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
    }

    static func setOption(_ fd: Int32, _ level: Int32, _ name: Int32, _ value: Int32) {
        var v = value
        _ = setsockopt(fd, level, name, &v, socklen_t(MemoryLayout<Int32>.size))
    }

    /// A listening socket on `address` (SO_REUSEADDR, backlog 1024).
    static func makeListener(on address: SocketAddress) throws(SystemError) -> Int32 {
        let fd = socket(address.family, streamType, 0)
        guard fd >= 0 else { throw SystemError("socket") }
        setOption(fd, SOL_SOCKET, SO_REUSEADDR, 1)
        let bound = address.withSockaddr { bind(fd, $0, $1) }
        guard bound == 0 else {
            let e = SystemError("listen on \(address)")
            close(fd)
            throw e
        }
        guard listen(fd, 1024) == 0 else {
            let e = SystemError("listen on \(address)")
            close(fd)
            throw e
        }
        setNonBlocking(fd)
        return fd
    }

    /// Starts a non-blocking connect; completion is reported by writability and SO_ERROR.
    static func startConnect(to address: SocketAddress) throws(SystemError) -> Int32 {
        let fd = socket(address.family, streamType, 0)
        guard fd >= 0 else { throw SystemError("socket") }
        setNonBlocking(fd)
        setOption(fd, Int32(IPPROTO_TCP), TCP_NODELAY, 1)
        let rc = address.withSockaddr { connect(fd, $0, $1) }
        if rc != 0 && errno != EINPROGRESS {
            let e = SystemError("connect \(address)")
            close(fd)
            throw e
        }
        return fd
    }

    /// The pending error of a socket (0 when none), which is how a non-blocking connect reports.
    static func pendingError(_ fd: Int32) -> Int32 {
        var err: Int32 = 0
        var len = socklen_t(MemoryLayout<Int32>.size)
        _ = getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len)
        return err
    }

    /// Closes so that the peer sees a reset rather than an orderly end (SO_LINGER 0).
    static func abort(_ fd: Int32) {
        var l = linger(l_onoff: 1, l_linger: 0)
        _ = setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, socklen_t(MemoryLayout<linger>.size))
        close(fd)
    }
}
