import Telemetry

/// `bptop export FILE --csv`: one row per scrape per stream and direction, for spreadsheets and
/// pandas: the agent's per-direction counters (`bpagent_…{stream, dir}`, errno/reason/how
/// labels summed) and iperf3's per-stream bytes and retransmits, in base units, with the
/// throughput since that stream's previous row. Header names carry their units.
public enum CSVExport {
    /// A column and the metrics it sums (none for the derived throughput).
    private struct Column {
        let title: String
        let metrics: [String]
    }

    private static let identity = ["time_seconds", "source", "stream", "dir"]
    private static let columns: [Column] = [
        Column(title: "bytes", metrics: ["bpagent_bytes_total", "iperf3_bytes_total"]),
        Column(title: "throughput_bytes_per_second", metrics: []),
        Column(title: "writes", metrics: ["bpagent_writes_total"]),
        Column(title: "buffer_full_events", metrics: ["bpagent_buffer_full_total"]),
        Column(title: "retries", metrics: ["bpagent_retries_total"]),
        Column(title: "retries_per_event_max", metrics: ["bpagent_retries_per_event_max"]),
        Column(title: "stall_max_seconds", metrics: ["bpagent_stall_max_seconds"]),
        Column(title: "retry_seconds", metrics: ["bpagent_retry_seconds_total"]),
        Column(title: "drops", metrics: ["bpagent_drops_total"]),
        Column(title: "queued_bytes", metrics: ["bpagent_queued_bytes"]),
        Column(title: "retransmits", metrics: ["iperf3_retransmits_total"]),
    ]

    /// The header line.
    public static var header: String { (identity + columns.map(\.title)).joined(separator: ",") + "\n" }

    private struct RowKey: Hashable {
        let source: String
        let stream: String
        let dir: String
    }

    /// Writes the header and every row; returns the reader's one-line problem.
    public static func write(_ path: String, to output: (borrowing ByteWriter) -> Bool) throws(RecordingError) -> String? {
        var column: [String: Int] = [:]
        for (i, c) in columns.enumerated() { for metric in c.metrics { column[metric] = i } }
        let throughput = columns.firstIndex { $0.title == "throughput_bytes_per_second" }!
        var previousBytes: [RowKey: (time: Double, bytes: Double)] = [:]
        var w = ByteWriter(capacity: 1 << 16)
        w.append(string: header)
        var open = true
        let problem = try RecordedSlots.forEach(path) { slot in
            var rows: [RowKey: [Double?]] = [:]
            var order: [RowKey] = []
            for sample in slot.exposition.samples {
                guard let c = column[sample.name], let stream = sample[label: "stream"], let dir = sample[label: "dir"],
                      !sample.value.isNaN else { continue }
                let key = RowKey(source: slot.source, stream: stream, dir: dir)
                if rows[key] == nil {
                    rows[key] = Array(repeating: nil, count: columns.count)
                    order.append(key)
                }
                rows[key]![c] = (rows[key]![c] ?? 0) + sample.value
            }
            for key in order {
                var row = rows[key]!
                if let bytes = row[0] {
                    if let before = previousBytes[key], slot.time > before.time, bytes >= before.bytes {
                        row[throughput] = (bytes - before.bytes) / (slot.time - before.time)
                    }
                    previousBytes[key] = (slot.time, bytes)
                }
                w.append(string: OpenMetricsNames.timestamp(slot.time))
                for text in [key.source, key.stream, key.dir] {
                    w.append(byte: UInt8(ascii: ","))
                    w.append(string: quoted(text))
                }
                for value in row {
                    w.append(byte: UInt8(ascii: ","))
                    if let value { w.append(string: OpenMetricsNames.number(value)) }
                }
                w.append(byte: 0x0A)
            }
            if w.count > 1 << 20 {
                open = output(w)
                w.removeAll()
            }
            return open
        }
        if open { _ = output(w) }
        return problem
    }

    /// RFC 4180: a field with a comma, quote or line break is quoted, its quotes doubled.
    static func quoted(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"") + "\""
    }
}
