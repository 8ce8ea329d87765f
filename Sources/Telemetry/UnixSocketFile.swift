#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The file a unix socket owns: recorded right after bind, so that `remove()` deletes that
/// very file and never one another process put at the same path since. Used by the metrics
/// server and the datagram relays.
public struct UnixSocketFile: Sendable {
    public let path: String
    private let device: UInt64
    private let inode: UInt64

    /// Records the socket file bind just created at `path`; nil if it is already gone or
    /// not a socket (then there is nothing of ours to remove later).
    public init?(boundAt path: String) {
        var st = stat()
        guard lstat(path, &st) == 0, st.st_mode & S_IFMT == S_IFSOCK else { return nil }
        self.path = path
        self.device = UInt64(st.st_dev)
        self.inode = UInt64(st.st_ino)
    }

    /// Unlinks the file if it is still the socket this listener created.
    public func remove() {
        var st = stat()
        guard lstat(path, &st) == 0, st.st_mode & S_IFMT == S_IFSOCK,
              UInt64(st.st_dev) == device, UInt64(st.st_ino) == inode else { return }
        unlink(path)
    }
}
