import Telemetry

/// The metrics server's use of `SocketPathHygiene`: the same rules as every socket file the
/// agent binds, with the refusal phrased as a `MetricsServerError`.
enum UnixSocketPath {
    static func prepareForBind(_ path: String) throws(MetricsServerError) {
        do {
            try SocketPathHygiene.prepareForBind(path)
        } catch {
            throw MetricsServerError(.unix(path: path), error.reason)
        }
    }
}
