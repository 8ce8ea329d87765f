import Telemetry

/// `bptop export FILE --iperf3`: iperf3's output as it printed it (text, `--json` or
/// `--json-stream`), byte for byte, for `bptop report --iperf3 -`, jq or any tool that reads
/// iperf3 logs. A followed log that was truncated (a new run) starts again on a new line.
public enum Iperf3OutputExport {
    /// Writes the output; returns the reader's one-line problem.
    public static func write(_ path: String, to output: (borrowing ByteWriter) -> Bool) throws(RecordingError) -> String? {
        let reader = try RecordingReader(path: path)
        guard reader.start.iperf3Run != nil else { throw RecordingError("\(path): the recording has no iperf3 run") }
        var w = ByteWriter(capacity: 1 << 16)
        while let event = reader.next() {
            guard case .iperf3(let iperf3Event, _) = event else { continue }
            switch iperf3Event {
            case .bytes(let bytes): w.append(contentsOf: bytes)
            case .truncated: w.append("\n")
            case .waitingForFile, .ended, .failed: continue
            }
            if w.count > 1 << 20 {
                guard output(w) else { return nil }
                w.removeAll()
            }
        }
        _ = output(w)
        return reader.problem
    }
}
