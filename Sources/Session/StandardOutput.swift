#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Lines for scripts, written straight to fd 1 (no stdio buffer): a reader such as `jq` or a
/// logger sees each `--json-lines` object the moment it is complete.
public enum StandardOutput {
    /// Writes all of `text`; false once nobody reads (EPIPE, a closed pipe), so the loop ends.
    public static func write(_ text: String) -> Bool {
        var bytes = Array(text.utf8)
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeMutableBytes { systemWrite($0.baseAddress! + done, $0.count - done) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return false }
            done += n
        }
        return true
    }

    private static func systemWrite(_ p: UnsafeMutableRawPointer, _ n: Int) -> Int {
        #if canImport(Glibc)
        Glibc.write(1, p, n)
        #else
        Darwin.write(1, p, n)
        #endif
    }
}
