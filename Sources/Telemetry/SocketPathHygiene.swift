#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The checks a unix socket path must pass before bind, shared by the metrics server (stream
/// sockets) and the datagram relay (datagram sockets). Done by hand rather than with NIO's
/// `cleanupExistingSocketFile`, which would unlink a socket another process is still serving.
///
/// The rules: the directory must exist and be writable; a path that is not a socket is never
/// touched; a socket that answers belongs to someone else; a socket nobody answers on is stale
/// and is replaced.
public enum SocketPathHygiene {
    /// Why a path cannot be bound, phrased to follow "cannot listen on PATH: ".
    public struct Refusal: Error, Sendable, CustomStringConvertible {
        public let reason: String
        public var description: String { reason }
    }

    /// Checks `path` and removes a stale socket there. `datagram` picks the socket type the
    /// probe uses: a datagram socket refuses a stream connect with EPROTOTYPE, not ECONNREFUSED.
    public static func prepareForBind(_ path: String, datagram: Bool = false) throws(Refusal) {
        let fail = { (reason: String) in Refusal(reason: reason) }
        if let tooLong = lengthProblem(path) { throw fail(tooLong) }
        let dir = directory(of: path)
        var st = stat()
        guard stat(dir, &st) == 0 else {
            let code = errno
            throw fail(code == ENOENT ? "directory \(dir) does not exist" : "directory \(dir): \(message(code))")
        }
        guard st.st_mode & S_IFMT == S_IFDIR else { throw fail("\(dir) is not a directory") }
        guard access(dir, W_OK | X_OK) == 0 else {
            throw fail("no permission to create a socket in directory \(dir)")
        }
        guard lstat(path, &st) == 0 else {
            let code = errno
            if code == ENOENT { return }
            throw fail(message(code))
        }
        guard st.st_mode & S_IFMT == S_IFSOCK else {
            throw fail("\(path) exists and is not a socket; refusing to replace it")
        }
        switch probe(path, datagram: datagram) {
        case 0, EAGAIN, EINPROGRESS:
            throw fail("already in use by another process")
        case EPROTOTYPE:
            // Only a live socket has a type to mismatch; a stale one refuses the connection.
            throw fail("already in use by another process (a \(datagram ? "stream" : "datagram") socket)")
        case ECONNREFUSED:
            guard unlink(path) == 0 || errno == ENOENT else {
                throw fail("cannot remove stale socket: \(message(errno))")
            }
        case ENOENT:
            return
        case let code:
            throw fail("existing socket cannot be checked: \(message(code))")
        }
    }

    /// Room in `sockaddr_un.sun_path`, including the terminating NUL.
    public static var maxPathBytes: Int { MemoryLayout.size(ofValue: sockaddr_un().sun_path) }

    /// The longest socket path the agent takes: macOS has room for 103 bytes (Linux 107), and
    /// SwiftNIO refuses more than 103 everywhere, so one limit holds for every socket.
    public static let maxPathLength = 103

    /// Why `path` cannot name a socket (too long), or nil; phrased to follow `invalid --option "PATH": `.
    public static func lengthProblem(_ path: String) -> String? {
        let length = path.utf8.count
        return length > maxPathLength ? "a socket path may have at most \(maxPathLength) bytes; this one has \(length)" : nil
    }

    /// The directory bind will create the file in (`.` for a bare name).
    public static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    private static func message(_ code: Int32) -> String { String(cString: strerror(code)) }

    /// Tries to connect to the socket at `path` without blocking; returns 0 when something
    /// answered, else the errno (EAGAIN: a listener with a full backlog, still alive;
    /// ECONNREFUSED: nobody is bound there).
    private static func probe(_ path: String, datagram: Bool) -> Int32 {
        #if canImport(Glibc)
        let type = Int32((datagram ? SOCK_DGRAM : SOCK_STREAM).rawValue)
        #else
        let type = datagram ? SOCK_DGRAM : SOCK_STREAM
        #endif
        let fd = socket(AF_UNIX, type, 0)
        guard fd >= 0 else { return errno }
        defer { close(fd) }
        _ = fcntl(fd, F_SETFL, O_NONBLOCK)
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &addr.sun_path) { $0.copyBytes(from: path.utf8) }
        let result = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        return result == 0 ? 0 : errno
    }
}
