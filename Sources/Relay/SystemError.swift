#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A failed system call, described in one line for the user ("connect 127.0.0.1:9: Connection refused").
public struct SystemError: Error, CustomStringConvertible, Sendable {
    public let operation: String
    public let code: Int32

    public init(_ operation: String, code: Int32 = errno) {
        self.operation = operation
        self.code = code
    }

    public var description: String {
        "\(operation): \(String(cString: strerror(code)))"
    }
}

/// The symbolic name of an errno, for log lines and summaries.
func errnoName(_ code: Int32) -> String {
    switch code {
    case EAGAIN: "EAGAIN"
    case ENOBUFS: "ENOBUFS"
    case ECONNRESET: "ECONNRESET"
    case ECONNREFUSED: "ECONNREFUSED"
    case EPIPE: "EPIPE"
    case ETIMEDOUT: "ETIMEDOUT"
    case EHOSTUNREACH: "EHOSTUNREACH"
    case ENETUNREACH: "ENETUNREACH"
    case EMFILE: "EMFILE"
    case ENFILE: "ENFILE"
    default: "errno \(code)"
    }
}
