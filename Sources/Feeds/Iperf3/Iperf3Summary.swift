/// One stream of a finished iperf3 test, reduced to the figures a developer pastes into a pull
/// request: how much moved, how steadily, and what TCP or UDP lost on the way.
public struct Iperf3StreamSummary: Equatable, Sendable {
    /// iperf3's stream id (`[  5]`); nil for the `[SUM]` line.
    public var stream: Int?
    public var role: Iperf3Role?
    public var connection: Iperf3Connection?
    /// From the sender's end-of-test line, else the receiver's, else the intervals' sum.
    public var bytes: Int64
    /// Whether `bytes` is exact (`--json` and `--json-stream` give bytes; text rounds them).
    public var bytesExact: Bool
    /// Over the intervals that were not omitted (`-O`).
    public var meanBitsPerSecond: Double?
    public var minBitsPerSecond: Double?
    public var maxBitsPerSecond: Double?
    public var intervals: Int
    /// TCP retransmits from the sender's end-of-test line.
    public var retransmits: Int?
    /// UDP datagrams lost and sent, from the receiver's end-of-test line.
    public var lostDatagrams: Int?
    public var datagrams: Int?
    /// UDP jitter in milliseconds, from the receiver's end-of-test line.
    public var jitterMs: Double?
}

extension Iperf3Test {
    /// One summary per stream in stream order, then the `[SUM]` rows iperf3 printed (one per
    /// direction with `--bidir`: `[SUM][TX-C]` and `[SUM][RX-C]`).
    public func streamSummaries(exactBytes: Bool) -> [Iperf3StreamSummary] {
        let ids = Array(Set(intervals.compactMap(\.stream) + summary.compactMap(\.stream))).sorted()
        var sumRoles: [Iperf3Role?] = []
        for i in intervals + summary where i.stream == nil && !sumRoles.contains(i.role) { sumRoles.append(i.role) }
        return ids.map { summarize(stream: $0, sumRole: nil, exactBytes: exactBytes) }
            + sumRoles.map { summarize(stream: nil, sumRole: $0, exactBytes: exactBytes) }
    }

    private func summarize(stream: Int?, sumRole: Iperf3Role?, exactBytes: Bool) -> Iperf3StreamSummary {
        let mine = { (i: Iperf3Interval) in i.stream == stream && (stream != nil || i.role == sumRole) }
        let measured = intervals.filter { mine($0) && !$0.omitted }
        let ends = summary.filter(mine)
        let sender = ends.first { $0.side == .sender }
        let receiver = ends.first { $0.side == .receiver }
        let rates = measured.map(\.bitsPerSecond)
        let bytes = sender?.bytes ?? receiver?.bytes ?? ends.first?.bytes ?? measured.reduce(0) { $0 + $1.bytes }
        return Iperf3StreamSummary(
            stream: stream, role: measured.first?.role ?? ends.first?.role,
            connection: stream.flatMap { id in connections.first { $0.stream == id } },
            bytes: bytes, bytesExact: exactBytes && !ends.isEmpty,
            meanBitsPerSecond: rates.isEmpty ? nil : rates.reduce(0, +) / Double(rates.count),
            minBitsPerSecond: rates.min(), maxBitsPerSecond: rates.max(), intervals: measured.count,
            retransmits: sender?.retransmits ?? ends.compactMap(\.retransmits).first,
            lostDatagrams: (receiver ?? ends.first)?.lostDatagrams,
            datagrams: (receiver ?? ends.first)?.datagrams,
            jitterMs: (receiver ?? ends.first)?.jitterMs)
    }
}
