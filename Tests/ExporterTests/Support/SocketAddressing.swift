#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Raw socket set-up for the tests, written against libc so the tests share no code with the
/// server they check.
enum SocketAddressing {
    /// A new stream socket of `family` on which `attach` (connect or bind) succeeded.
    static func connectedSocket(family: Int32, _ attach: (Int32) throws -> Int32) throws -> Int32 {
        #if canImport(Glibc)
        let fd = socket(family, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(family, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw TestClientError(description: "socket: \(String(cString: strerror(errno)))") }
        guard try attach(fd) == 0 else {
            let message = String(cString: strerror(errno))
            close(fd)
            throw TestClientError(description: "connect/bind: \(message)")
        }
        return fd
    }

    static func withUnixAddress(_ path: String, _ body: (UnsafePointer<sockaddr>, socklen_t) -> Int32) throws -> Int32 {
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        let capacity = MemoryLayout.size(ofValue: addr.sun_path)
        guard path.utf8.count < capacity else { throw TestClientError(description: "path too long: \(path)") }
        withUnsafeMutableBytes(of: &addr.sun_path) { $0.copyBytes(from: path.utf8) }
        return withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
    }

    static func withIPv4Address(_ host: String, _ port: Int, _ body: (UnsafePointer<sockaddr>, socklen_t) -> Int32) throws -> Int32 {
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(port).bigEndian
        guard inet_pton(AF_INET, host, &addr.sin_addr) == 1 else { throw TestClientError(description: "not IPv4: \(host)") }
        return withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
    }

    /// Leaves a stale socket file at `path`, as a crashed agent would: bound, never listened
    /// on, closed without unlink.
    static func makeStaleSocket(at path: String) throws {
        let fd = try connectedSocket(family: AF_UNIX) { fd in try withUnixAddress(path) { bind(fd, $0, $1) } }
        close(fd)
    }
}
