import Logging
import NIOCore
import NIOHTTP1

/// Answers each complete request through `MetricsRoutes`, and refuses requests that carry a
/// body: nothing here takes input, so reading one would only cost memory.
final class MetricsRequestHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let routes: MetricsRoutes
    private let statistics: ExporterStatistics
    private let logger: Logger
    /// The request being read; nil between requests and for the rest of a refused one.
    private var pending: HTTPRequestHead?

    init(routes: MetricsRoutes, statistics: ExporterStatistics, logger: Logger) {
        self.routes = routes
        self.statistics = statistics
        self.logger = logger
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head) where head.carriesBody:
            // Answer now instead of after the body; whatever of it arrives is discarded.
            let refusal = MetricsResponse.text(.payloadTooLarge, "request bodies are not accepted")
            context.writeResponse(refusal, ResponseFraming(version: head.version, keepAlive: false))
        case .head(let head):
            pending = head
        case .body:
            break
        case .end:
            guard let head = pending else { return }
            pending = nil
            // Rendered once the loop has handled this turn's events: a client that sent its
            // request and closed (a scraper that timed out) is closed by then, and is not
            // rendered for. NIO reads a socket's data and its EOF in one go.
            context.eventLoop.assumeIsolated().execute { [self] in respond(to: head, context: context) }
        }
    }

    private func respond(to head: HTTPRequestHead, context: ChannelHandlerContext) {
        guard context.channel.isActive else {
            statistics.abandonedRequest()
            return
        }
        let response = routes.response(method: head.method, uri: head.uri, headers: head.headers)
        let framing = ResponseFraming(version: head.version, keepAlive: head.isKeepAlive, includeBody: head.method != .HEAD)
        context.writeResponse(response, framing)
    }

    /// A broken connection (reset, write after the peer left) concerns only that client.
    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        logger.debug("metrics connection closed after an error", metadata: ["error": "\(error)"])
        context.close(promise: nil)
    }
}

extension HTTPRequestHead {
    /// Whether a body follows this head (a non-zero Content-Length or any Transfer-Encoding).
    var carriesBody: Bool {
        headers.contains(name: "Transfer-Encoding") || headers["Content-Length"].contains { $0 != "0" }
    }
}
