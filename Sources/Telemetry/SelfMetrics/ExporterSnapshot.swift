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

/// What a response was rendered as (`bpagent_exporter_responses_total{format,encoding}`), so it
/// shows what each scraper negotiated.
public enum ResponseFormat: Int, CaseIterable, Sendable {
    case text = 0, openMetrics, json

    public var label: String {
        switch self {
        case .text: "text"
        case .openMetrics: "openmetrics"
        case .json: "json"
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
    /// Rendered responses by `ResponseFormat` (`2 × format`: identity, `2 × format + 1`: gzip).
    public var responses: [UInt64]
    /// Responses rendered (`/metrics`, `/metrics.json`) and the time rendering and compressing took.
    public var renders: UInt64 { responses.reduce(0, +) }
    public var renderMicros: UInt64
    /// Bytes of the last `/metrics` body before compression.
    public var lastMetricsBytes: UInt64

    public init(connectionsOpen: UInt64 = 0,
                connectionsClosed: [UInt64] = Array(repeating: 0, count: ConnectionCloseReason.allCases.count),
                abandonedRequests: UInt64 = 0,
                responses: [UInt64] = Array(repeating: 0, count: 2 * ResponseFormat.allCases.count),
                renderMicros: UInt64 = 0, lastMetricsBytes: UInt64 = 0) {
        self.connectionsOpen = connectionsOpen
        self.connectionsClosed = connectionsClosed
        self.abandonedRequests = abandonedRequests
        self.responses = responses
        self.renderMicros = renderMicros
        self.lastMetricsBytes = lastMetricsBytes
    }

    public subscript(closed reason: ConnectionCloseReason) -> UInt64 { connectionsClosed[reason.rawValue] }

    public subscript(format: ResponseFormat, gzip gzip: Bool) -> UInt64 { responses[2 * format.rawValue + (gzip ? 1 : 0)] }
}
