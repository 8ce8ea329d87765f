/// Where the metrics server listens: a unix socket file, or a TCP address (loopback unless
/// the user names another host).
public enum MetricsEndpoint: Equatable, Sendable, CustomStringConvertible {
    case unix(path: String)
    case tcp(host: String, port: Int)

    /// The host `tcp:PORT` binds: loopback, so a bare port never exposes the metrics to the network.
    public static let defaultTCPHost = "127.0.0.1"

    /// The spelling `parse(_:)` accepts, so logs and errors show what the user would type.
    public var description: String {
        switch self {
        case .unix(let path): "unix:\(path)"
        case .tcp(let host, let port) where host.contains(":"): "tcp:[\(host)]:\(port)"
        case .tcp(let host, let port): "tcp:\(host):\(port)"
        }
    }
}
