import NIOCore
import NIOHTTP1

/// A complete response, built before anything is written so Content-Length is always known.
struct MetricsResponse {
    var status: HTTPResponseStatus
    var contentType: String
    /// In pieces (see `RenderBuffers`), written one after another.
    var body: [ByteBuffer]
    /// Headers beyond Content-Type, Content-Length and Connection (e.g. `Allow`).
    var extraHeaders: [(String, String)] = []

    /// A short plain-text answer, for health checks and errors.
    static func text(_ status: HTTPResponseStatus, _ message: String) -> MetricsResponse {
        MetricsResponse(status: status, contentType: "text/plain; charset=utf-8", body: [ByteBuffer(string: "\(message)\n")])
    }
}

/// How a response ends the exchange.
struct ResponseFraming {
    var version: HTTPVersion = .http1_1
    /// Keep the connection for another request; otherwise half-close after the response.
    var keepAlive: Bool
    /// False for HEAD: same headers, no body.
    var includeBody = true
}

extension ChannelHandlerContext {
    /// Writes `response` as one HTTP message and flushes it. When the connection is not kept
    /// alive, only the output is closed: the client still reads the whole response (a full
    /// close with unread request bytes would reset the connection and could destroy it), and
    /// the connection ends when the client closes or `RequestDeadlineHandler` gives up on it.
    func writeResponse(_ response: MetricsResponse, _ framing: ResponseFraming) {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: response.contentType)
        headers.add(name: "Content-Length", value: String(response.body.reduce(0) { $0 + $1.readableBytes }))
        for (name, value) in response.extraHeaders { headers.add(name: name, value: value) }
        if !framing.keepAlive {
            headers.add(name: "Connection", value: "close")
        } else if framing.version == .http1_0 {
            headers.add(name: "Connection", value: "keep-alive")
        }
        let head = HTTPResponseHead(version: framing.version, status: response.status, headers: headers)
        write(NIOAny(HTTPServerResponsePart.head(head)), promise: nil)
        if framing.includeBody {
            for piece in response.body where piece.readableBytes > 0 {
                write(NIOAny(HTTPServerResponsePart.body(.byteBuffer(piece))), promise: nil)
            }
        }
        writeAndFlush(NIOAny(HTTPServerResponsePart.end(nil)), promise: nil)
        if !framing.keepAlive {
            close(mode: .output, promise: nil)
        }
    }
}
