#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Logging
import NIOCore
import NIOPosix
import Synchronization
import Telemetry

/// Serves `GET /metrics` (Prometheus text), `/metrics.json` and `/healthz` on unix sockets
/// and/or TCP, each request answered from a fresh `snapshot(serverFigures)`.
///
/// It runs on its own one-thread event loop group so scrapes never compete with the relay's
/// event loop; the snapshot closure only reads atomics, so a scrape never blocks the relay.
/// Call `start()` once, then `stop()` (from any thread but a NIO one) before exiting.
public final class MetricsServer: Sendable {
    private let endpoints: [MetricsEndpoint]
    private let socketMode: mode_t
    private let idleTimeout: TimeAmount
    private let logger: Logger
    private let routes: MetricsRoutes
    private let statistics = ExporterStatistics()
    private let connections: ConnectionSlots
    private let state = Mutex(State.idle)

    private enum State {
        case idle
        case running(MultiThreadedEventLoopGroup, [Listener])
        case stopped
    }

    /// - Parameters:
    ///   - snapshot: what to export; it is handed the server's own figures (connections,
    ///     renders) to include or not.
    ///   - socketMode: mode of the unix socket files; 0600 lets only the agent's user scrape.
    ///   - idleTimeout: how long a connection may take to deliver a complete request, and how
    ///     long a response may make no progress (see `ConnectionWatch`).
    public init(
        endpoints: [MetricsEndpoint], socketMode: mode_t = 0o600, idleTimeout: TimeAmount = .seconds(10),
        logger: Logger, snapshot: @escaping @Sendable (ExporterSnapshot) -> MetricsSnapshot
    ) {
        self.endpoints = endpoints
        self.socketMode = socketMode
        self.idleTimeout = idleTimeout
        self.logger = logger
        self.routes = MetricsRoutes(snapshot: snapshot, statistics: statistics)
        self.connections = ConnectionSlots(statistics: statistics)
    }

    /// What the server did for and against its clients so far (its own self-metrics).
    public var exporterSnapshot: ExporterSnapshot { statistics.snapshot() }

    /// Binds every endpoint. On the first failure it unbinds those already bound (removing
    /// their socket files) and throws a `MetricsServerError` naming the endpoint, so a failed
    /// start leaves nothing behind and may be retried.
    public func start() throws(MetricsServerError) {
        try state.withLock { (state: inout State) throws(MetricsServerError) in
            guard case .idle = state else { preconditionFailure("MetricsServer.start() called twice or after stop()") }
            let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
            var listeners: [Listener] = []
            do throws(MetricsServerError) {
                for endpoint in endpoints {
                    listeners.append(try Listener.bind(endpoint, socketMode: socketMode) { makeBootstrap(group) })
                }
            } catch {
                listeners.forEach { $0.close() }
                try? group.syncShutdownGracefully()
                throw error
            }
            for listener in listeners {
                logger.info("serving metrics", metadata: ["endpoint": "\(listener.endpoint)"])
            }
            state = .running(group, listeners)
        }
    }

    /// The endpoints as bound, in the order given (a `tcp` port 0 shows the port chosen);
    /// empty unless running.
    public var boundAddresses: [MetricsEndpoint] {
        state.withLock { state in
            guard case .running(_, let listeners) = state else { return [] }
            return listeners.map(\.endpoint)
        }
    }

    /// Closes the listeners and open connections and removes the socket files this server
    /// created (only those: a file someone else has since put at the path stays). Idempotent.
    public func stop() {
        let running = state.withLock { state -> (MultiThreadedEventLoopGroup, [Listener])? in
            defer { state = .stopped }
            guard case .running(let group, let listeners) = state else { return nil }
            return (group, listeners)
        }
        guard let (group, listeners) = running else { return }
        listeners.forEach { $0.close() }
        try? group.syncShutdownGracefully()
        logger.info("metrics server stopped")
    }

    private func makeBootstrap(_ group: MultiThreadedEventLoopGroup) -> ServerBootstrap {
        ServerBootstrap(group: group)
            // Room for a burst of connects (a scrape storm) while the loop is busy.
            .serverChannelOption(.backlog, value: 1024)
            // Out of descriptors, accept fails while the listener stays readable: without a
            // back-off NIO retries at once, at 100 % CPU, for as long as that lasts.
            .serverChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(AcceptBackoffHandler(backoffProvider: { _ in .milliseconds(100) }))
                }
            }
            .childChannelInitializer { [connections, routes, idleTimeout, statistics, logger] channel in
                channel.eventLoop.makeCompletedFuture {
                    let progress = connections.admit(channel)
                    try MetricsHTTPPipeline.configure(channel, routes: routes, timeout: idleTimeout, progress: progress,
                                                      statistics: statistics, logger: logger)
                }
            }
    }
}
