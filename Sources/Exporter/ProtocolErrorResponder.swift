import NIOCore
import NIOHTTP1

/// Answers bytes the HTTP decoder rejects: 431 when the request head is over
/// `MetricsHTTPPipeline`'s limits, 400 for anything else; then half-closes, as the decoder
/// cannot resynchronise on that connection.
///
/// Unlike NIO's `HTTPServerProtocolErrorHandler` this need not track a half-written response:
/// NIO's pipelining handler holds a decoder error back until the response in progress has
/// been written to its end.
final class ProtocolErrorResponder: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart

    private var answered = false

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        switch error {
        case let parseError as HTTPParserError:
            guard !answered else { return }
            answered = true
            context.writeResponse(Self.response(to: parseError), ResponseFraming(keepAlive: false))
        case is ByteToMessageDecoderError where answered:
            // More bytes from the client we already answered; they are dropped while the
            // connection drains.
            return
        default:
            context.fireErrorCaught(error)
        }
    }

    static func response(to error: HTTPParserError) -> MetricsResponse {
        guard case .headerOverflow = error else { return .text(.badRequest, "malformed HTTP request") }
        return .text(
            .requestHeaderFieldsTooLarge,
            "request head too large: at most \(MetricsHTTPPipeline.maxHeadBytes) bytes in \(MetricsHTTPPipeline.maxHeaderFields) header fields")
    }
}
