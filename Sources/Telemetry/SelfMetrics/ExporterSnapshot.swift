/// Why the metrics server closed a connection itself (`bpagent_exporter_connections_closed_total{reason}`).
public enum ConnectionCloseReason: Int, CaseIterable, Sendable {
    /// Every slot was taken and a new connection needed one: the connection that had gone
    /// longest without progress made room.
    case evicted = 0
    /// No complete request within the deadline (silent, or sending a byte now and then).
    case requestTimeout = 1
    /// A response was owed and the socket took no byte of it within the deadline.
    case writeTimeout = 2
    /// The output was closed (`Connection: close`, a refusal) and the client did not close
    /// its side within the deadline.
    case drainTimeout = 3

    public var label: String {
        switch self {
        case .evicted: "evicted"
        case .requestTimeout: "request_timeout"
        case .writeTimeout: "write_timeout"
        case .drainTimeout: "drain_timeout"
        }
    }
}

/// The metrics server's own figures, so what it refused or gave up on is counted, not silent.
public struct ExporterSnapshot: Equatable, Sendable {
    public var connectionsOpen: UInt64
    /// By `ConnectionCloseReason`.
    public var connectionsClosed: [UInt64]
    /// Complete requests not answered because the client had closed its connection before
    /// the response was rendered.
    public var abandonedRequests: UInt64
    /// Responses rendered (`/metrics`, `/metrics.json`) and the time rendering and compressing took.
    public var renders: UInt64
    public var renderMicros: UInt64
    /// Bytes of the last `/metrics` body before compression.
    public var lastMetricsBytes: UInt64

    public init(connectionsOpen: UInt64 = 0,
                connectionsClosed: [UInt64] = Array(repeating: 0, count: ConnectionCloseReason.allCases.count),
                abandonedRequests: UInt64 = 0, renders: UInt64 = 0, renderMicros: UInt64 = 0, lastMetricsBytes: UInt64 = 0) {
        self.connectionsOpen = connectionsOpen
        self.connectionsClosed = connectionsClosed
        self.abandonedRequests = abandonedRequests
        self.renders = renders
        self.renderMicros = renderMicros
        self.lastMetricsBytes = lastMetricsBytes
    }

    public subscript(closed reason: ConnectionCloseReason) -> UInt64 { connectionsClosed[reason.rawValue] }
}
