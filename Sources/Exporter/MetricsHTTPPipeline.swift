import Logging
import NIOCore
import NIOHTTP1

/// The handlers of one accepted connection, and the request limits they enforce.
enum MetricsHTTPPipeline {
    /// Request line target plus header names and values; a scraper needs a few hundred.
    static let maxHeadBytes = 8 * 1024
    static let maxHeaderFields = 64

    /// Must run on the channel's event loop (a child channel initializer does).
    static func configure(
        _ channel: any Channel, routes: MetricsRoutes, timeout: TimeAmount, progress: ConnectionProgress,
        statistics: ExporterStatistics, logger: Logger
    ) throws {
        var limits = NIOHTTPDecoderLimitConfiguration()
        limits.maxHeaderFieldSize = maxHeadBytes
        limits.maxHeaderListSize = maxHeadBytes
        limits.maxHeaderFieldCount = maxHeaderFields
        let pipeline = channel.pipeline.syncOperations
        // Stops reading requests while responses pile up unread, so a client that pipelines
        // without reading cannot grow the outbound buffer without bound.
        try pipeline.addHandler(BackPressureHandler())
        try pipeline.configureHTTPServerPipeline(
            withErrorHandling: false, withEncoderConfiguration: .init(), withDecoderLimitConfiguration: limits)
        // Order matters: the watch must see the writes and the close(mode: .output) that the
        // two responders after it issue.
        try pipeline.addHandler(ConnectionWatch(timeout: timeout, progress: progress, statistics: statistics))
        try pipeline.addHandler(ProtocolErrorResponder())
        try pipeline.addHandler(MetricsRequestHandler(routes: routes, statistics: statistics, logger: logger))
    }
}
