/// Which sockets `bpagent observe` follows: every TCP and unix socket of some processes,
/// the sockets bound at some unix paths and their peers, and TCP sockets by port. A socket
/// any of them picks is observed.
public struct SocketSelection: Sendable {
    public var pids: [Int32]
    public var unixPaths: [String]
    public var tcpFilters: [TCPPortFilter]

    public init(pids: [Int32], unixPaths: [String], tcpFilters: [TCPPortFilter]) {
        self.pids = pids
        self.unixPaths = unixPaths
        self.tcpFilters = tcpFilters
    }

    var needsTCP: Bool { !pids.isEmpty || !tcpFilters.isEmpty }
    var needsUnix: Bool { !pids.isEmpty || !unixPaths.isEmpty }
}

/// An `ss`-like port filter: `sport=5201` (the socket's own port), `dport=5201` (its
/// peer's) or `port=5201` (either).
public struct TCPPortFilter: Equatable, Sendable, CustomStringConvertible {
    public enum Side: String, Sendable {
        case sport, dport, port
    }

    public let side: Side
    public let port: UInt16

    public init(parsing text: String) throws(ObserveError) {
        let parts = text.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: " ") }
        guard parts.count == 2, let side = Side(rawValue: parts[0]) else {
            throw ObserveError("invalid --tcp \"\(text)\": expected sport=PORT, dport=PORT or port=PORT")
        }
        guard let port = UInt16(parts[1]), port > 0 else {
            throw ObserveError("invalid --tcp \"\(text)\": the port must be 1 to 65535")
        }
        self.side = side
        self.port = port
    }

    public var description: String { "\(side.rawValue)=\(port)" }

    func matches(local: UInt16, remote: UInt16) -> Bool {
        switch side {
        case .sport: local == port
        case .dport: remote == port
        case .port: local == port || remote == port
        }
    }
}

private extension Substring {
    func trimmingCharacters(in set: Character) -> String {
        String(drop { $0 == set }.reversed().drop { $0 == set }.reversed())
    }
}
