import Feeds

/// iperf3's side of a run, straight from its intervals and end-of-test lines: exact per
/// interval (a store's rate would lose the first interval, which has no slot before it).
enum Iperf3Series {
    /// Per direction, the sum over its streams of each interval's rate (bytes/s), at the
    /// interval's middle plus `offset`. The k-th interval of every stream is one sample: in
    /// `--json` the streams' interval ends differ by microseconds, so times cannot be matched.
    static func throughput(_ test: Iperf3Test, offset: Double) -> [String: [RunPoint]] {
        var out: [String: [RunPoint]] = [:]
        for (dir, lists) in perStream(test) {
            let count = lists.values.map(\.count).max() ?? 0
            out[dir] = (0..<count).map { k in
                let present = lists.values.compactMap { k < $0.count ? $0[k] : nil }
                return RunPoint(time: present[0].middle + offset, value: present.reduce(0) { $0 + $1.bitsPerSecond / 8 })
            }
        }
        return out
    }

    /// Per direction, each stream's rate per interval, named as the dashboard's legend does
    /// (`iperf3 5 c2s`).
    static func streams(_ test: Iperf3Test, offset: Double) -> [String: [RunSeries]] {
        perStream(test).mapValues { lists in
            lists.keys.sorted().map { id in
                RunSeries(name: "iperf3 \(id) \(test.direction(of: lists[id]!.first?.role))",
                          points: lists[id]!.map { RunPoint(time: $0.middle + offset, value: $0.bitsPerSecond / 8) })
            }
        }
    }

    /// Bytes and TCP retransmits of one direction from iperf3's end-of-test figures.
    static func totals(_ test: Iperf3Test, dir: String, exactBytes: Bool) -> (bytes: Double, retransmits: Double?)? {
        let rows = test.streamSummaries(exactBytes: exactBytes).filter { $0.stream != nil && test.direction(of: $0.role) == dir }
        guard !rows.isEmpty else { return nil }
        let retransmits = rows.compactMap(\.retransmits)
        return (Double(rows.reduce(0) { $0 + $1.bytes }), retransmits.isEmpty ? nil : Double(retransmits.reduce(0, +)))
    }

    /// Measured (not omitted) intervals per direction and stream id, in order.
    private static func perStream(_ test: Iperf3Test) -> [String: [Int: [Iperf3Interval]]] {
        var out: [String: [Int: [Iperf3Interval]]] = [:]
        for interval in test.intervals where !interval.omitted {
            guard let stream = interval.stream else { continue }
            out[test.direction(of: interval.role), default: [:]][stream, default: []].append(interval)
        }
        return out
    }
}

private extension Iperf3Interval {
    var middle: Double { (start + end) / 2 }
}
