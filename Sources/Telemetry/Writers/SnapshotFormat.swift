/// An exposition format written from a snapshot (Prometheus text, JSON).
public protocol SnapshotFormat {
    static var contentType: String { get }
    /// Bytes one stream takes, generously: the output is sized once from it, and an estimate
    /// that is too small costs a copy of the whole output.
    static var bytesPerStream: Int { get }
    /// Appends the snapshot to `w`.
    static func write(_ snapshot: MetricsSnapshot, into w: inout ByteWriter)
}

extension SnapshotFormat {
    public static func render(_ snapshot: MetricsSnapshot) -> [UInt8] {
        var w = ByteWriter()
        render(snapshot, into: &w)
        return w.bytes
    }

    /// Renders into `w` from its start, reusing its memory (what the exporter does per scrape).
    public static func render(_ snapshot: MetricsSnapshot, into w: inout ByteWriter) {
        w.removeAll()
        w.reserveCapacity(4096 + snapshot.streams.count * bytesPerStream)
        write(snapshot, into: &w)
    }
}
