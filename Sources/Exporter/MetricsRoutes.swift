import NIOHTTP1
import Telemetry

/// Maps a request to a response: the whole of what the server exposes, kept free of channels
/// so it reads like a table.
struct MetricsRoutes: Sendable {
    /// Called once per GET or HEAD of a metrics path, on a NIO thread; must only read atomics.
    let snapshot: @Sendable (ExporterSnapshot) -> MetricsSnapshot
    let statistics: ExporterStatistics

    func response(method: HTTPMethod, uri: String, headers: HTTPHeaders) -> MetricsResponse {
        let path = uri.prefix { $0 != "?" }
        let format: ResponseFormat
        switch path {
        case "/metrics" where ContentNegotiation.prefersOpenMetrics(headers["Accept"]):
            format = .openMetrics
        case "/metrics":
            format = .text
        case "/metrics.json":
            format = .json
        case "/healthz":
            return Self.allowed(method) ?? .text(.ok, "ok")
        default:
            return .text(.notFound, "not found: try /metrics, /metrics.json or /healthz")
        }
        if let refusal = Self.allowed(method) { return refusal }
        let gzip = ContentNegotiation.acceptsGzip(headers["Accept-Encoding"])
        let started = Clocks.monotonicMicros()
        let body = ResponseBody.render(gzip: gzip) { w in
            Self.write(format, snapshot(statistics.snapshot()), into: &w)
        }
        statistics.rendered(format, gzip: gzip, micros: Clocks.monotonicMicros() - started, bytes: body.bytes)
        var response = MetricsResponse(status: .ok, contentType: Self.contentType(format), body: body.pieces)
        response.extraHeaders = [("Vary", format == .json ? "Accept-Encoding" : "Accept, Accept-Encoding")]
        if gzip { response.extraHeaders.append(("Content-Encoding", "gzip")) }
        return response
    }

    private static func write(_ format: ResponseFormat, _ snapshot: MetricsSnapshot, into w: inout ByteWriter) {
        switch format {
        case .text: PrometheusTextWriter.render(snapshot, into: &w)
        case .openMetrics: OpenMetricsWriter.render(snapshot, into: &w)
        case .json: JSONWriter.render(snapshot, into: &w)
        }
    }

    private static func contentType(_ format: ResponseFormat) -> String {
        switch format {
        case .text: PrometheusTextWriter.contentType
        case .openMetrics: OpenMetricsWriter.contentType
        case .json: JSONWriter.contentType
        }
    }

    /// The 405 for anything but GET and HEAD, or nil when the method is fine.
    private static func allowed(_ method: HTTPMethod) -> MetricsResponse? {
        guard method != .GET, method != .HEAD else { return nil }
        var response = MetricsResponse.text(.methodNotAllowed, "method not allowed")
        response.extraHeaders = [("Allow", "GET, HEAD")]
        return response
    }
}
