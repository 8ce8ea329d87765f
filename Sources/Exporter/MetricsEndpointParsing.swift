import Telemetry

/// A `--metrics` value that names no endpoint; `description` is the one line to show the user.
public struct InvalidMetricsEndpoint: Error, Equatable, CustomStringConvertible {
    /// The string as the user gave it.
    public let input: String
    /// What is wrong with it, phrased to follow `invalid --metrics "…": `.
    public let reason: String

    public var description: String { "invalid --metrics \"\(input)\": \(reason)" }
}

extension MetricsEndpoint {
    /// Parses `unix:PATH`, `tcp:HOST:PORT`, `tcp:[IPv6]:PORT` or `tcp:PORT` (which binds
    /// `defaultTCPHost`). Port 0 asks the kernel for a free port.
    public static func parse(_ s: String) throws(InvalidMetricsEndpoint) -> MetricsEndpoint {
        let fail = { (reason: String) in InvalidMetricsEndpoint(input: s, reason: reason) }
        if let path = s.dropPrefix("unix:") {
            guard !path.isEmpty else { throw fail("empty socket path after unix:") }
            return .unix(path: String(path))
        }
        guard let address = s.dropPrefix("tcp:") else {
            throw fail("expected unix:PATH or tcp:HOST:PORT")
        }
        let split: HostPort
        do { split = try HostPort(splitting: address) } catch { throw fail("expected tcp:[IPv6]:PORT") }
        if split.bracketed && (split.host.isEmpty || split.port == nil) { throw fail("expected tcp:[IPv6]:PORT") }
        if split.isUnbracketedIPv6 { throw fail("an IPv6 address needs brackets, as in tcp:[::1]:PORT") }
        guard split.port == nil || !split.host.isEmpty else { throw fail("empty host before :PORT") }
        // `tcp:PORT`: no colon, the whole text is the port, on the loopback host.
        let portText = split.port ?? split.host
        guard let port = HostPort.number(portText) else {
            throw fail("port \"\(portText)\" is not a number from 0 to 65535")
        }
        return .tcp(host: split.port == nil ? MetricsEndpoint.defaultTCPHost : String(split.host), port: Int(port))
    }
}

extension StringProtocol {
    /// The rest of the string after `prefix`, or nil when it does not start with it.
    fileprivate func dropPrefix(_ prefix: String) -> SubSequence? {
        hasPrefix(prefix) ? self[index(startIndex, offsetBy: prefix.count)...] : nil
    }
}
