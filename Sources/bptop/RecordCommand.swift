import ArgumentParser
import Dashboard
import Feeds
import Recording
import Session
import Telemetry
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

struct RecordCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "record",
        abstract: "Record scrapes and an iperf3 run to a file, without a terminal (for CI, or beside a VM).",
        usage: "bptop record -o <file> [--source <spec> ...] [-i <duration>] [--duration <time>] [--iperf3 <file> | -- iperf3 ...]",
        discussion: """
            Stops on SIGINT, SIGTERM or SIGHUP, after --duration, or when the iperf3 child ends; the agents are then \
            scraped once more and the file closed. Prints iperf3's summary (with an iperf3 run) and, on standard \
            error, what was recorded. Read the file with bptop replay and bptop export. With --threshold, each \
            threshold prints ✓ or ✗ over the recorded run once the file is closed; any ✗ exits 99.
            """)

    @Option(name: [.customShort("o"), .customLong("output")], help: ArgumentHelp("The recording to write (created or emptied).", valueName: "file"))
    var output: String

    @Option(name: .customLong("source"),
            help: ArgumentHelp("unix:PATH or http://HOST:PORT/PATH to scrape (repeatable). Default: unix:\(AgentDefaults.socketPath) when it exists.",
                               valueName: "spec"))
    var sources: [String] = []

    @Option(name: [.customShort("i"), .long], help: ArgumentHelp("Scrape interval: 1s, 500ms, 2.5 (seconds); 100ms to 1h.", valueName: "duration"))
    var interval = "1s"

    @Option(help: ArgumentHelp("Stop after this long: 90s, 10m, 2h, or seconds.", valueName: "time"))
    var duration: String?

    @Option(name: .customLong("iperf3"), help: ArgumentHelp("Follow an iperf3 log as it is written, or - to read a pipe.", valueName: "file|-"))
    var iperf3File: String?

    @Argument(parsing: .postTerminator, help: "An iperf3 command to run and record (after --).")
    var command: [String] = []

    @OptionGroup var gate: GateOptions

    @Flag(help: "With --threshold: stop recording at the first crossing that cannot be undone (a count or maximum over its limit).")
    var abortOnFail = false

    func validate() throws {
        if iperf3File != nil && !command.isEmpty { throw ValidationError("--iperf3 and a command after -- cannot be combined") }
        _ = try intervalMillis()
        _ = try durationMillis()
        if sources.isEmpty && iperf3Input == nil && !agentSocketExists {
            throw ValidationError("nothing to record: no --source, no iperf3 run, and no agent socket at \(AgentDefaults.socketPath)")
        }
    }

    private var agentSocketExists: Bool { access(AgentDefaults.socketPath, F_OK) == 0 }

    private func intervalMillis() throws -> Int {
        do { return try IntervalText.millis(interval) } catch { throw ValidationError(error.message) }
    }

    /// `--duration` in milliseconds: a number with `ms`, `s`, `m` or `h` (seconds without).
    private func durationMillis() throws -> Int? {
        guard let duration else { return nil }
        let units: [(String, Double)] = [("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000)]
        let (digits, scale) = units.first { duration.hasSuffix($0.0) }.map { (duration.dropLast($0.0.count), $0.1) } ?? (Substring(duration), 1000)
        guard let value = Double(digits), value.isFinite, value > 0, value * scale <= 31 * 86_400_000 else {
            throw ValidationError("invalid --duration \"\(duration)\": expected a time like 90s, 10m or 2h (at most 31 days)")
        }
        return Int(value * scale)
    }

    private var iperf3Input: Iperf3Input? {
        if !command.isEmpty { return .command(command) }
        return iperf3File.map(Iperf3Input.init(option:))
    }

    func run() throws {
        let thresholds = try gate.parsed()  // a bad expression is a usage error before anything runs
        if abortOnFail && thresholds.isEmpty { throw UsageFailure("--abort-on-fail needs a --threshold") }
        let specs = try sources.isEmpty ? (agentSocketExists ? [SourceSpec(parsing: "unix:\(AgentDefaults.socketPath)")] : [])
            : sources.map { text in
                do { return try SourceSpec(parsing: text) } catch { throw ValidationError("\(error)") }
            }
        let millis = try intervalMillis()
        let writer = try openRecording(output, sources: specs, intervalMillis: millis, iperf3: iperf3Input,
                                       dashboard: iperf3Input == nil ? DashboardResolver.defaultName : "iperf3")
        let session = RecordSession(options: .init(sources: specs, intervalMillis: millis, iperf3: iperf3Input,
                                                   durationMillis: try durationMillis(), abortThresholds: abortOnFail ? thresholds : []),
                                    writer: writer)
        do { try session.prepare() } catch { throw CommandFailure(error) }
        let outcome = session.run()
        print(outcome.summary, terminator: "")
        if let crossing = outcome.abortedBy { print("stopped at the first crossing: \(crossing) (--abort-on-fail)") }
        StandardError.write("bptop: \(outcome.note)\n")
        if let failure = outcome.failure { throw CommandFailure(failure) }
        if outcome.exitCode != 0 { throw ExitCode(outcome.exitCode) }
        try gate.check(recording: output)
    }
}
