#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Telemetry

/// A log file read as another process writes it, with `tail -F` semantics: it may not exist
/// yet, it may be truncated (read again from 0) or replaced by a new file (reopened).
struct FollowedFile {
    /// How often the file is checked for growth once everything has been read.
    static let pollMillis: Int32 = 100

    enum ReadResult: Equatable {
        case bytes(Int)
        case atEnd
        case truncated
        case missing
        case failed(Int32)
    }

    let path: String
    private var fd: Int32 = -1
    private var offset: off_t = 0
    private var inode: ino_t = 0

    init(path: String) {
        self.path = path
    }

    /// Reads what is new into `buffer`.
    mutating func read(into buffer: inout [UInt8]) -> ReadResult {
        if fd < 0 {
            fd = open(path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { return errno == ENOENT ? .missing : .failed(errno) }
            var st = stat()
            fstat(fd, &st)
            inode = st.st_ino
            offset = 0
        }
        switch systemCall({ buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, offset) } }) {
        case .done(0), .wouldBlock: break
        case .done(let n):
            offset += off_t(n)
            return .bytes(n)
        case .failed(let code): return .failed(code)
        }
        var st = stat()
        if fstat(fd, &st) == 0, st.st_size < offset {
            offset = 0
            return .truncated
        }
        // Replaced (rotated, or deleted and written anew): finish the old file, then switch.
        var named = stat()
        if stat(path, &named) == 0, named.st_ino != inode {
            close(fd)
            fd = -1
            return .truncated
        }
        return .atEnd
    }
}
