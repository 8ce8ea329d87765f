#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Exporter
import Logging
import NIOCore
import Telemetry

/// A fixed snapshot with non-zero values everywhere it matters, so every response body is
/// known byte for byte.
let fixedSnapshot: MetricsSnapshot = {
    var buckets = [UInt64](repeating: 0, count: StallBuckets.count)
    buckets[3] = 100
    buckets[StallBuckets.count - 1] = 24
    let c2s = DirectionSnapshot(
        bytes: 1_048_576, writes: 712, bufferFull: PerCause(eagain: 3, enobufs: 124),
        retries: PerCause(eagain: 5, enobufs: 1_624), drops: PerReason(retryBudget: 2),
        dropBytes: PerReason(retryBudget: 3_028), stallBuckets: buckets, stallSumMicros: 12_700,
        stallMaxMicros: 12_700, retriesPerEventMax: 64, queuedBytes: 1_514)
    let stream = StreamSnapshot(
        identity: StreamIdentity(id: 1, proto: "tcp", local: "127.0.0.1:5201", peer: "127.0.0.1:40312",
                                 upstreamLocal: "127.0.0.1:40313", upstreamPeer: "127.0.0.1:5202"),
        state: .open, openedAtMicros: 1_700_000_000_250_000, c2s: c2s, s2c: DirectionSnapshot(bytes: 42, writes: 1))
    let agent = AgentSnapshot(startTimeMicros: 1_700_000_000_000_000, takenAtMicros: 1_700_000_600_123_456,
                              streamsOpen: 1, streamsTotal: 1)
    return MetricsSnapshot(agent: agent, streams: [stream])
}()

/// A started server answering with `fixedSnapshot`; the caller stops it.
func startServer(
    _ endpoints: [MetricsEndpoint], socketMode: mode_t = 0o600, idleTimeout: TimeAmount = .seconds(10),
    snapshot: @escaping @Sendable (ExporterSnapshot) -> MetricsSnapshot = { _ in fixedSnapshot }
) throws -> MetricsServer {
    let server = makeServer(endpoints, socketMode: socketMode, idleTimeout: idleTimeout, snapshot: snapshot)
    try server.start()
    return server
}

func makeServer(
    _ endpoints: [MetricsEndpoint], socketMode: mode_t = 0o600, idleTimeout: TimeAmount = .seconds(10),
    snapshot: @escaping @Sendable (ExporterSnapshot) -> MetricsSnapshot = { _ in fixedSnapshot }
) -> MetricsServer {
    MetricsServer(endpoints: endpoints, socketMode: socketMode, idleTimeout: idleTimeout,
                  logger: Logger(label: "ExporterTests") { _ in SwiftLogNoOpLogHandler() },
                  snapshot: snapshot)
}

/// `fixedSnapshot`'s stream 400 times over: about 2 MB of text, more than a socket buffers.
let largeSnapshot = MetricsSnapshot(agent: fixedSnapshot.agent, streams: (1...400).map { i in
    var s = fixedSnapshot.streams[0]
    s.identity.id = UInt64(i)
    return s
})

/// Sends one request on a new connection and reads its response.
func fetch(_ endpoint: MetricsEndpoint, _ request: String, bodyFollows: Bool = true) throws -> TestResponse {
    let connection = try TestConnection(endpoint)
    try connection.send(request)
    return try connection.readResponse(bodyFollows: bodyFollows)
}

func get(_ path: String) -> String { "GET \(path) HTTP/1.1\r\nHost: bpagent\r\n\r\n" }
