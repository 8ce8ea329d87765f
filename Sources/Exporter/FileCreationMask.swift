#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Runs code with the process umask narrowed so a file created inside gets at most `mode`.
///
/// bind(2) creates the socket file with `0777 & ~umask`; narrowing the umask around it means
/// the file is never more open than asked, not even between bind and a later chmod. The umask
/// is process-wide, so the lock keeps two servers starting at once from restoring each
/// other's mask.
enum FileCreationMask {
    private static let lock = Mutex(())

    static func withMode<T>(_ mode: mode_t, _ body: () throws -> T) rethrows -> T {
        try lock.withLock { _ in
            let saved = umask(~mode & 0o777)
            defer { umask(saved) }
            return try body()
        }
    }
}
