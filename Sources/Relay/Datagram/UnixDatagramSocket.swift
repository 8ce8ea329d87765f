#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Telemetry

/// A failure while setting a datagram endpoint up, in one line for the user.
public struct DatagramSetupError: Error, CustomStringConvertible, Sendable {
    public let description: String
    init(_ description: String) { self.description = description }
}

/// The unix datagram socket calls the frame relay makes: bound (to a path, or auto-bound),
/// optionally connected, non-blocking, with the buffer sizes network helpers use.
enum UnixDatagramSocket {
    #if canImport(Glibc)
    static let datagramType = Int32(SOCK_DGRAM.rawValue)
    #else
    static let datagramType = SOCK_DGRAM
    #endif

    /// A non-blocking datagram socket bound to `path` (checked and a stale socket replaced
    /// first, then given `mode`), or with no path auto-bound (Linux: a kernel-chosen abstract
    /// name, so a peer can still reply; abstract names are per network namespace).
    static func bound(to path: String?, mode: mode_t) throws(DatagramSetupError) -> Int32 {
        let fd = socket(AF_UNIX, datagramType, 0)
        guard fd >= 0 else { throw DatagramSetupError("socket: \(String(cString: strerror(errno)))") }
        TCPSocket.setNonBlocking(fd)
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        if let path {
            try bindPath(fd, path, mode: mode, datagram: true)
        } else {
            #if os(Linux)
            var addr = sockaddr_un()
            addr.sun_family = sa_family_t(AF_UNIX)
            _ = withUnsafePointer(to: &addr) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sa_family_t>.size)) }
            }
            #endif
        }
        return fd
    }

    /// Binds `fd` (a datagram or stream socket) to `path`, checked and a stale socket replaced
    /// first, then given `mode`; closes `fd` when that fails.
    static func bindPath(_ fd: Int32, _ path: String, mode: mode_t, datagram: Bool) throws(DatagramSetupError) {
        do {
            try SocketPathHygiene.prepareForBind(path, datagram: datagram)
        } catch {
            close(fd)
            throw DatagramSetupError("cannot bind \(path): \(error.reason)")
        }
        var (addr, len) = address(path)
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) }
        }
        guard rc == 0 else {
            let e = errno
            close(fd)
            throw DatagramSetupError("cannot bind \(path): \(String(cString: strerror(e)))")
        }
        _ = chmod(path, mode)
    }

    /// Connects `fd` to the socket bound at `path`: sends then need no address, only datagrams
    /// from that socket are received, and on Linux POLLOUT reports room in the peer's queue.
    static func connectSocket(_ fd: Int32, to path: String) throws(DatagramSetupError) {
        var (addr, len) = address(path)
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, len) }
        }
        guard rc == 0 else {
            let reason = errno == EPROTOTYPE ? "it is a stream socket; the helper's must be a datagram socket" : String(cString: strerror(errno))
            throw DatagramSetupError("cannot connect to \(path): \(reason)")
        }
    }

    /// `sockaddr_un` for a path (the caller checked its length with `SocketPathHygiene`).
    static func address(_ path: String) -> (sockaddr_un, socklen_t) {
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8.prefix(SocketPathHygiene.maxPathBytes - 1))
        withUnsafeMutableBytes(of: &addr.sun_path) { $0.copyBytes(from: bytes) }
        return (addr, socklen_t(MemoryLayout<sa_family_t>.size + bytes.count + 1))
    }
}
