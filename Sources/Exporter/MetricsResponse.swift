import NIOCore
import NIOHTTP1

/// A complete response, built before anything is written so Content-Length is always known.
struct MetricsResponse {
    var status: HTTPResponseStatus
    var contentType: String
    /// In pieces (see `ResponseBody`), written one after another.
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
    /// Body pieces are handed to the channel in slices this size, so each slice's write
    /// completing marks progress (`ConnectionWatch`) even for a reader of a few kB/s.
    static let writeSlice = 64 * 1024

    /// Writes `response` as one HTTP message. Its end is written only once the whole body has
    /// reached the socket: NIO's pipelining handler hands over the next request when the end
    /// passes, so a client that pipelines requests and never reads gets no second response
    /// rendered — one response per connection is held in memory at most. When the connection
    /// is not kept alive, only the output is closed: the client still reads the whole response
    /// (a full close with unread request bytes would reset the connection and could destroy
    /// it), and the connection ends when the client closes or `ConnectionWatch` gives up.
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
        var written = eventLoop.makePromise(of: Void.self)
        write(NIOAny(HTTPServerResponsePart.head(head)), promise: written)
        if framing.includeBody {
            for piece in response.body {
                var rest = piece
                while let slice = rest.readSlice(length: Swift.min(rest.readableBytes, Self.writeSlice)), slice.readableBytes > 0 {
                    written = eventLoop.makePromise(of: Void.self)
                    write(NIOAny(HTTPServerResponsePart.body(.byteBuffer(slice))), promise: written)
                }
            }
        }
        flush()
        written.futureResult.assumeIsolated().whenSuccess { [self] in
            writeAndFlush(NIOAny(HTTPServerResponsePart.end(nil)), promise: nil)
            if !framing.keepAlive {
                close(mode: .output, promise: nil)
            }
        }
    }
}
