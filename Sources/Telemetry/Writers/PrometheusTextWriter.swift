/// Renders a `MetricsSnapshot` as Prometheus text exposition format 0.0.4, what `/metrics`
/// serves unless the client asks for OpenMetrics.
///
/// Families come in a fixed order and streams in id order, so two scrapes of an idle agent
/// are byte-identical. Every stream-direction has every series that can be non-zero for its
/// kind of stream (zeros included), so scripts never have to guess whether a missing line
/// means zero.
public enum PrometheusTextWriter: SnapshotFormat {
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"
    /// ≈ 3.8 KB for a TCP stream, 5 KB for a datagram flow.
    public static let bytesPerStream = 6144

    public static func write(_ snapshot: MetricsSnapshot, into w: inout ByteWriter) {
        ExpositionWriter(dialect: .prometheus, snapshot: snapshot).write(into: &w)
    }
}

/// Renders a `MetricsSnapshot` as OpenMetrics 1.0.0 text: the same series as
/// `PrometheusTextWriter`, with counter families named without `_total`, units declared,
/// info families, `_created` after the agent-wide counters and histograms (the agent's start;
/// see `ExpositionWriter.sample` for why per-stream ones have none) and `# EOF` at the end.
public enum OpenMetricsWriter: SnapshotFormat {
    public static let contentType = "application/openmetrics-text; version=1.0.0; charset=utf-8"
    public static let bytesPerStream = 8192

    public static func write(_ snapshot: MetricsSnapshot, into w: inout ByteWriter) {
        ExpositionWriter(dialect: .openMetrics, snapshot: snapshot).write(into: &w)
    }
}
