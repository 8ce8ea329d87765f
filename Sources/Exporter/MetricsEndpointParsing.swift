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
        let (host, portText) = try splitHostPort(address, fail)
        guard (1...5).contains(portText.count), portText.allSatisfy({ ("0"..."9").contains($0) }),
              let port = Int(portText), port <= 65535 else {
            throw fail("port \"\(portText)\" is not a number from 0 to 65535")
        }
        return .tcp(host: host, port: port)
    }

    /// Splits what follows `tcp:` into host and port text; a missing host means loopback.
    private static func splitHostPort(
        _ address: Substring, _ fail: (String) -> InvalidMetricsEndpoint
    ) throws(InvalidMetricsEndpoint) -> (String, Substring) {
        if let bracketed = address.dropPrefix("[") {
            guard let close = bracketed.firstIndex(of: "]"), close != bracketed.startIndex,
                  let port = bracketed[bracketed.index(after: close)...].dropPrefix(":") else {
                throw fail("expected tcp:[IPv6]:PORT")
            }
            return (String(bracketed[..<close]), port)
        }
        guard let colon = address.firstIndex(of: ":") else { return (MetricsEndpoint.defaultTCPHost, address) }
        let port = address[address.index(after: colon)...]
        guard !port.contains(":") else { throw fail("an IPv6 address needs brackets, as in tcp:[::1]:PORT") }
        guard colon != address.startIndex else { throw fail("empty host before :PORT") }
        return (String(address[..<colon]), port)
    }
}

extension StringProtocol {
    /// The rest of the string after `prefix`, or nil when it does not start with it.
    fileprivate func dropPrefix(_ prefix: String) -> SubSequence? {
        hasPrefix(prefix) ? self[index(startIndex, offsetBy: prefix.count)...] : nil
    }
}
