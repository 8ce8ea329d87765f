#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The checks a unix socket path must pass before bind, done here rather than with NIO's
/// `cleanupExistingSocketFile`, which would unlink a socket another agent is still serving.
///
/// The rules: the directory must exist and be writable; a path that is not a socket is never
/// touched; a socket that answers belongs to someone else; a socket nobody answers on is stale
/// and is replaced.
enum UnixSocketPath {
    static func prepareForBind(_ path: String) throws(MetricsServerError) {
        let fail = { (reason: String) in MetricsServerError(.unix(path: path), reason) }
        guard path.utf8.count < maxPathBytes else {
            throw fail("path is longer than \(maxPathBytes - 1) bytes")
        }
        let dir = directory(of: path)
        var st = stat()
        guard stat(dir, &st) == 0 else {
            let code = errno
            throw fail(code == ENOENT ? "directory \(dir) does not exist" : "directory \(dir): \(errnoMessage(code))")
        }
        guard st.st_mode & S_IFMT == S_IFDIR else { throw fail("\(dir) is not a directory") }
        guard access(dir, W_OK | X_OK) == 0 else {
            throw fail("no permission to create a socket in directory \(dir)")
        }
        guard lstat(path, &st) == 0 else {
            let code = errno
            if code == ENOENT { return }
            throw fail(errnoMessage(code))
        }
        guard st.st_mode & S_IFMT == S_IFSOCK else {
            throw fail("\(path) exists and is not a socket; refusing to replace it")
        }
        switch probe(path) {
        case 0, EAGAIN, EINPROGRESS:
            throw fail("already in use by another process")
        case ECONNREFUSED:
            guard unlink(path) == 0 || errno == ENOENT else {
                throw fail("cannot remove stale socket: \(errnoMessage(errno))")
            }
        case ENOENT:
            return
        case let code:
            throw fail("existing socket cannot be checked: \(errnoMessage(code))")
        }
    }

    /// Room in `sockaddr_un.sun_path`, including the terminating NUL.
    static var maxPathBytes: Int { MemoryLayout.size(ofValue: sockaddr_un().sun_path) }

    /// The directory bind will create the file in (`.` for a bare name).
    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// Tries to connect to the socket at `path` without blocking; returns 0 when something
    /// accepted, else the errno (EAGAIN: a listener with a full backlog, still alive;
    /// ECONNREFUSED: nobody listens).
    private static func probe(_ path: String) -> Int32 {
        #if canImport(Glibc)
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_UNIX, SOCK_STREAM, 0)
        #endif
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
