#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Telemetry

/// Lines for scripts, written straight to fd 1 (no stdio buffer): a reader such as `jq` or a
/// logger sees each `--json-lines` object the moment it is complete.
public enum StandardOutput {
    /// Writes all of `text`; false once nobody reads (EPIPE, a closed pipe), so the loop ends.
    public static func write(_ text: String) -> Bool {
        Array(text.utf8).withUnsafeBytes { write($0) }
    }

    /// Writes all of `bytes`; false once nobody reads.
    public static func write(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var done = 0
        while done < bytes.count {
            let result = systemCall { systemWrite(bytes.baseAddress! + done, bytes.count - done) }
            guard case .done(let n) = result, n > 0 else { return false }
            done += n
        }
        return true
    }

    private static func systemWrite(_ p: UnsafeRawPointer, _ n: Int) -> Int {
        #if canImport(Glibc)
        Glibc.write(1, p, n)
        #else
        Darwin.write(1, p, n)
        #endif
    }
}
