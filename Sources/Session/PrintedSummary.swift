#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dashboard
import Feeds
import Telemetry

/// The end-of-run summary as bptop prints it to standard output (on quitting, and `bptop
/// report`): as wide as the terminal it lands in, titled with the run.
public enum PrintedSummary {
    public static func text(_ report: Iperf3Report, agent: TimeSeriesStore?, run: Iperf3ReportText.Run) -> String {
        Iperf3ReportText.text(report, agent: agent, run: run, width: outputWidth())
    }

    /// What a session prints when its iperf3 run is over, and its exit status: iperf3's when it
    /// failed on its own; 0 when it was stopped because the user quit (or without iperf3).
    static func endOfRun(_ data: CollectedData, input: Iperf3Input?, withAgent: Bool, interrupted: Bool) -> (summary: String, status: Int32) {
        guard let feed = data.iperf3, let input else { return ("", 0) }
        let summary = feed.report.tests.isEmpty ? (feed.problem.map { $0 + "\n" } ?? "")
            : text(feed.report, agent: withAgent ? data.store : nil,
                   run: .init(name: input.name, started: feed.startedAt.map(localTime)))
        return (summary, interrupted ? 0 : feed.exitStatus.map { $0.succeeded ? 0 : $0.code } ?? 0)
    }

    /// Standard output's terminal width (TIOCGWINSZ); else `COLUMNS` (a pipe from a terminal,
    /// a script that says); else 80.
    static func outputWidth() -> Int {
        var size = winsize()
        if isatty(STDOUT_FILENO) == 1, ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 {
            return Int(size.ws_col)
        }
        if let text = getenv("COLUMNS").map({ String(cString: $0) }), let columns = Int(text), columns > 0 { return columns }
        return 80
    }

    /// `2025-03-05 14:02:11` in local time, for a run's start.
    public static func localTime(_ epochSeconds: Double) -> String {
        var seconds = time_t(epochSeconds.rounded(.down))
        var parts = tm()
        guard localtime_r(&seconds, &parts) != nil else { return "?" }
        var buffer = [CChar](repeating: 0, count: 32)
        let count = strftime(&buffer, buffer.count, "%Y-%m-%d %H:%M:%S", &parts)
        return String(decoding: buffer.prefix(count).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
