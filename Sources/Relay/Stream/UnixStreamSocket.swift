#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Telemetry

/// The unix stream socket calls `bpagent stream` makes: the listening socket a VMM connects
/// to, the accepted connection, and the connection to the network helper; all non-blocking.
enum UnixStreamSocket {
    /// A listening socket bound at `path` (a stale socket replaced first), given `mode`.
    static func listening(at path: String, mode: mode_t) throws(DatagramSetupError) -> Int32 {
        let fd = socket(AF_UNIX, TCPSocket.streamType, 0)
        guard fd >= 0 else { throw DatagramSetupError("socket: \(String(cString: strerror(errno)))") }
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        try UnixDatagramSocket.bindPath(fd, path, mode: mode, datagram: false)
        guard listen(fd, 8) == 0 else {
            let e = errno
            close(fd)
            throw DatagramSetupError("cannot listen on \(path): \(String(cString: strerror(e)))")
        }
        TCPSocket.setNonBlocking(fd)
        return fd
    }

    /// The next connection waiting on `listener`, non-blocking; nil when none is waiting.
    static func nextConnection(on listener: Int32) -> Int32? {
        guard case .done(let fd) = systemCall({ accept(listener, nil, nil) }) else { return nil }
        _ = fcntl(Int32(fd), F_SETFD, FD_CLOEXEC)
        TCPSocket.setNonBlocking(Int32(fd))
        return Int32(fd)
    }

    /// A connection to the stream socket at `path` (a unix connect completes at once or fails).
    static func connected(to path: String) throws(DatagramSetupError) -> Int32 {
        let fd = socket(AF_UNIX, TCPSocket.streamType, 0)
        guard fd >= 0 else { throw DatagramSetupError("socket: \(String(cString: strerror(errno)))") }
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        var (addr, len) = UnixDatagramSocket.address(path)
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, len) }
        }
        guard rc == 0 else {
            let e = errno
            close(fd)
            let reason = e == EPROTOTYPE ? "it is a datagram socket; the helper's must be a stream socket" : String(cString: strerror(e))
            throw DatagramSetupError("cannot connect to \(path): \(reason)")
        }
        TCPSocket.setNonBlocking(fd)
        return fd
    }
}
