import Feeds
import Glibc
import Recording
import Telemetry

/// A recording file under /tmp, removed when the test is done with it.
final class TemporaryRecording {
    let path: String

    init() {
        var template = Array("/tmp/bptop-recording-test-XXXXXX".utf8CString)
        let fd = mkstemp(&template)
        precondition(fd >= 0, "mkstemp failed")
        close(fd)
        path = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    deinit { unlink(path) }

    func start(sources: [String] = ["agent"], iperf3: String? = nil) -> RecordingStart {
        RecordingStart(command: ["bptop", "record", "-o", path], startTime: 1_764_680_000, intervalMillis: 1000,
                       sources: sources.map { .init(spec: "unix:/tmp/\($0).sock", name: $0) }, iperf3Run: iperf3,
                       dashboard: iperf3 == nil ? "backpressure" : "iperf3", writer: "bptop test")
    }

    /// Every event in the file, and how reading ended.
    func readAll() throws -> (events: [RecordedEvent], reader: RecordingReader) {
        let reader = try RecordingReader(path: path)
        var events: [RecordedEvent] = []
        while let event = reader.next() { events.append(event) }
        return (events, reader)
    }

    var bytes: [UInt8] { FileBytes.read(path) ?? [] }

    func write(_ bytes: some Collection<UInt8>) {
        let fd = open(path, O_WRONLY | O_TRUNC)
        let array = Array(bytes)
        _ = array.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        close(fd)
    }
}

/// bpagent-like scrapes of two streams (the ports of iperf3 fixture bidir-p2.txt's streams 5
/// and 9), whose counters grow with `tick`.
enum AgentScrapes {
    static func body(tick: Int) -> [UInt8] {
        var text = """
            # HELP bpagent_start_time_seconds Wall-clock time the agent started.
            # TYPE bpagent_start_time_seconds gauge
            bpagent_start_time_seconds 1764679990.25
            # TYPE bpagent_stream_info gauge
            bpagent_stream_info{stream="1",proto="tcp",local="127.0.0.1:52257",peer="127.0.0.1:54252",upstream_local="127.0.0.1:40001",upstream_peer="127.0.0.1:5201",state="open"} 1
            bpagent_stream_info{stream="2",proto="tcp",local="127.0.0.1:52257",peer="127.0.0.1:54280",upstream_local="127.0.0.1:40002",upstream_peer="127.0.0.1:5201",state="open"} 1
            # TYPE bpagent_bytes_total counter
            # TYPE bpagent_buffer_full_total counter
            # TYPE bpagent_retries_total counter
            # TYPE bpagent_stall_max_seconds gauge
            # TYPE bpagent_stall_seconds histogram

            """
        for stream in 1...2 {
            for dir in ["c2s", "s2c"] {
                let scale = stream * (dir == "c2s" ? 3 : 1)
                text += "bpagent_bytes_total{stream=\"\(stream)\",dir=\"\(dir)\"} \(tick * 65_536_000 * scale)\n"
                text += "bpagent_buffer_full_total{stream=\"\(stream)\",dir=\"\(dir)\",errno=\"ENOBUFS\"} \(tick * tick * scale)\n"
                text += "bpagent_retries_total{stream=\"\(stream)\",dir=\"\(dir)\",errno=\"ENOBUFS\"} \(tick * 7 * scale)\n"
                text += "bpagent_stall_max_seconds{stream=\"\(stream)\",dir=\"\(dir)\"} \(Double(tick * scale) * 0.000125)\n"
                for (le, share) in [("0.0001", 1), ("0.001", 2), ("+Inf", 3)] {
                    text += "bpagent_stall_seconds_bucket{stream=\"\(stream)\",dir=\"\(dir)\",le=\"\(le)\"} \(tick * share * scale)\n"
                }
                text += "bpagent_stall_seconds_sum{stream=\"\(stream)\",dir=\"\(dir)\"} \(Double(tick * scale) * 0.0031)\n"
                text += "bpagent_stall_seconds_count{stream=\"\(stream)\",dir=\"\(dir)\"} \(tick * 3 * scale)\n"
            }
        }
        return Array(text.utf8)
    }

    /// iperf3's output of a `-P 2 --bidir` run, a line at a time.
    static func iperf3Lines() throws -> [[UInt8]] {
        let path = String(#filePath.dropLast("RecordingTests/RecordingFixtures.swift".count)) + "FeedsTests/Fixtures/iperf3/bidir-p2.txt"
        guard let bytes = FileBytes.read(path) else { throw RecordingError("cannot read \(path)") }
        return bytes.split(separator: 0x0A, omittingEmptySubsequences: false).map { Array($0) + [0x0A] }
    }
}
