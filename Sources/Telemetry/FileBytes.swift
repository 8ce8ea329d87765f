#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Whole small files (dashboards, iperf3 logs) read without Foundation.
public enum FileBytes {
    /// The file's bytes (`-`: standard input), or nil with `errno` saying why. Files larger than
    /// `limit` are refused (errno EFBIG) rather than read into memory.
    public static func read(_ path: String, limit: Int = 256 << 20) -> [UInt8]? {
        let fd = path == "-" ? 0 : open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { if fd != 0 { close(fd) } }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = chunk.withUnsafeMutableBytes { systemRead(fd, $0.baseAddress, $0.count) }
            if n == 0 { return out }
            guard n > 0 else { return nil }
            guard out.count + n <= limit else { errno = EFBIG; return nil }
            out.append(contentsOf: chunk[0..<n])
        }
    }

    private static func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
        #if canImport(Glibc)
        Glibc.read(fd, buffer, count)
        #else
        Darwin.read(fd, buffer, count)
        #endif
    }
}
