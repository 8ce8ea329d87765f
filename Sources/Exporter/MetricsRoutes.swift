import NIOHTTP1
import Telemetry

/// Maps a request line to a response: the whole of what the server exposes, kept free of
/// channels so it reads like a table.
struct MetricsRoutes: Sendable {
    /// Called once per GET or HEAD of a metrics path, on a NIO thread; must only read atomics.
    let snapshot: @Sendable (ExporterSnapshot) -> MetricsSnapshot
    let statistics: ExporterStatistics
    let buffers = RenderBuffers()

    func response(method: HTTPMethod, uri: String) -> MetricsResponse {
        let path = uri.prefix { $0 != "?" }
        let render: (MetricsSnapshot, inout ByteWriter) -> Void
        let contentType: String
        switch path {
        case "/metrics":
            (render, contentType) = (PrometheusTextWriter.render, PrometheusTextWriter.contentType)
        case "/metrics.json":
            (render, contentType) = (JSONWriter.render, JSONWriter.contentType)
        case "/healthz":
            return Self.allowed(method) ?? .text(.ok, "ok")
        default:
            return .text(.notFound, "not found: try /metrics, /metrics.json or /healthz")
        }
        if let refusal = Self.allowed(method) { return refusal }
        let started = Clocks.monotonicMicros()
        var size = 0
        let body = buffers.render { w in
            render(snapshot(statistics.snapshot()), &w)
            size = w.count
        }
        statistics.rendered(micros: Clocks.monotonicMicros() - started, metricsBytes: path == "/metrics" ? size : nil)
        return MetricsResponse(status: .ok, contentType: contentType, body: body)
    }

    /// The 405 for anything but GET and HEAD, or nil when the method is fine.
    private static func allowed(_ method: HTTPMethod) -> MetricsResponse? {
        guard method != .GET, method != .HEAD else { return nil }
        var response = MetricsResponse.text(.methodNotAllowed, "method not allowed")
        response.extraHeaders = [("Allow", "GET, HEAD")]
        return response
    }
}
