import NIOCore
import NIOHTTP1
import Telemetry

/// Times a connection out only while the client owes something, and records its progress.
///
/// - No response owed: the client has `timeout` from being accepted (or from the end of its
///   last response reaching the socket) to deliver a complete request, however it dribbles
///   bytes; a per-request deadline rather than an idle timer also catches slowloris clients.
/// - A response owed: the connection lives as long as the socket keeps taking bytes; only
///   `timeout` without any progress closes it. A slow reader gets the whole response, however
///   long it takes (the deadline once restarted when the response was queued, so a reader
///   at 50 kB/s lost a 1.2 MB export after 10 s).
/// - Output closed: the client has `timeout` to close its side.
final class ConnectionWatch: ChannelDuplexHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    private let timeout: TimeAmount
    private let progress: ConnectionProgress
    private let statistics: ExporterStatistics
    private var deadline: Scheduled<Void>?
    /// Complete requests received minus responses whose end reached the socket: with
    /// pipelining the next request can arrive before the previous response is done.
    private var owed = 0
    /// Set once the output is closed: only the client closing (or the deadline) ends it now.
    private var draining = false

    init(timeout: TimeAmount, progress: ConnectionProgress, statistics: ExporterStatistics) {
        self.timeout = timeout
        self.progress = progress
        self.statistics = statistics
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { rearm(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        rearm(context)
        context.fireChannelActive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        deadline?.cancel()
        deadline = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .end = unwrapInboundIn(data), !draining {
            owed += 1
            progress.requestReceived()
            rearm(context)
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let isEnd = if case .end = unwrapOutboundIn(data) { true } else { false }
        let written = promise ?? context.eventLoop.makePromise()
        written.futureResult.assumeIsolated().whenSuccess { [self] in
            progress.mark()
            if isEnd { owed -= 1 }
            if !draining { rearm(context) }
        }
        context.write(data, promise: written)
    }

    func close(context: ChannelHandlerContext, mode: CloseMode, promise: EventLoopPromise<Void>?) {
        if mode == .output, !draining {
            draining = true
            rearm(context)
        }
        context.close(mode: mode, promise: promise)
    }

    /// Restarts the one deadline, for whatever the client owes now.
    private func rearm(_ context: ChannelHandlerContext) {
        deadline?.cancel()
        let reason: ConnectionCloseReason = draining ? .drainTimeout : owed > 0 ? .writeTimeout : .requestTimeout
        deadline = context.eventLoop.assumeIsolated().scheduleTask(in: timeout) { [statistics] in
            statistics.closed(reason)
            context.close(promise: nil)
        }
    }
}
