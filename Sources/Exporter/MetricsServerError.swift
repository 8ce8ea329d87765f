#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NIOCore

/// Why `MetricsServer.start()` could not listen; `description` is one line naming the endpoint.
public struct MetricsServerError: Error, Equatable, CustomStringConvertible {
    public let endpoint: MetricsEndpoint
    /// What went wrong, phrased to follow `cannot listen on ENDPOINT: `.
    public let reason: String

    public var description: String { "cannot listen on \(endpoint): \(reason)" }

    init(_ endpoint: MetricsEndpoint, _ reason: String) {
        self.endpoint = endpoint
        self.reason = reason
    }

    /// Wraps an error from NIO's bind so the user sees the system's words, not a Swift type dump.
    init(_ endpoint: MetricsEndpoint, bindError: any Error) {
        if let io = bindError as? IOError {
            self.init(endpoint, errnoMessage(io.errnoCode))
        } else {
            self.init(endpoint, "\(bindError)")
        }
    }
}

/// `strerror` as a Swift string, e.g. "Address already in use".
func errnoMessage(_ code: Int32) -> String {
    String(cString: strerror(code))
}
