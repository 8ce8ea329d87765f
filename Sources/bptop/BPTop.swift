import ArgumentParser
import Dashboard
import Feeds
import Telemetry
import Recording
import Session
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `bptop [options] [-- iperf3 …]` watches live (the default subcommand, `live`); `bptop
/// report` and `bptop demo` are the others. `bptop --help` shows the live options, the ones
/// people use most, with the other subcommands named at the end.
@main
struct BPTop: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bptop",
        abstract: "A live dashboard of throughput and backpressure per stream, from bpagent or any Prometheus exporter.",
        version: "bptop \(BuildInfo.releaseVersion), revision \(BuildRevision.revision)",
        subcommands: [LiveCommand.self, ReportCommand.self, CompareCommand.self, PlotCommand.self, DemoCommand.self,
                      RecordCommand.self, ReplayCommand.self, ExportCommand.self],
        defaultSubcommand: LiveCommand.self)

    /// Runs the command; a `CommandFailure` is one `bptop: error:` line and exit status 1.
    static func main() {
        HeapPolicy.shareOneArena()
        if Array(CommandLine.arguments.dropFirst()) == ["--help"] || Array(CommandLine.arguments.dropFirst()) == ["-h"] {
            print(helpMessage(for: LiveCommand.self))
            return
        }
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let failure as CommandFailure {
            StandardError.write("bptop: error: \(failure.message)\n")
            Self.exit(withError: ExitCode.failure)
        } catch let failure as UsageFailure {
            StandardError.write("bptop: error: \(failure.message)\n")
            Self.exit(withError: ExitCode.validationFailure)
        } catch {
            Self.exit(withError: error)
        }
    }
}

struct LiveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "live",
        abstract: "A live dashboard of throughput and backpressure per stream, from bpagent or any Prometheus exporter.",
        usage: """
            bptop [--source <spec> ...] [-i <duration>] [--dashboard <name|path>] [--once [--json]]
            bptop [options] --iperf3 <file|->
            bptop [options] -- iperf3 -c <host> [iperf3 options]
            bptop report --iperf3 <file> [--source <spec>] [--json] [--threshold <expr> ...]
            bptop compare <before> <after> [-o <file.svg|png>] [--json | --markdown] [--threshold <expr> ...]
            bptop plot <iperf3 log> -o <file.svg|png> [--source <spec>] [--width 1200] [--streams top8]
            bptop demo [-t <seconds>] [-P <streams>]
            bptop record -o <file> [--source <spec> ...] [--duration <time>] [-- iperf3 ...]
            bptop replay <file> [--follow]
            bptop export <file> --openmetrics|--csv|--iperf3
            """,
        discussion: """
            With an iperf3 run (-- iperf3 -c HOST …, or --iperf3 FILE|-), its streams are shown joined with the \
            agent's, and its end-of-run summary is printed when bptop quits. Keys: ? in the dashboard. Other \
            subcommands: report (summarise a finished iperf3 run), compare (two runs side by side), plot (a run as \
            SVG/PNG), demo (iperf3 through bpagent on loopback), record (to a file, without a terminal), replay \
            and export (a recording); see bptop help SUBCOMMAND. --record FILE records what the dashboard shows. \
            With --threshold, each threshold prints ✓ or ✗ with what was measured when bptop quits; any ✗ \
            exits 99.
            """)

    @Option(name: .customLong("source"),
            help: ArgumentHelp("unix:PATH or http://HOST:PORT/PATH to scrape, prometheus+http://HOST:9090[?job=bpagent] for every agent a Prometheus server scrapes, or a helper's own stats: gvproxy+unix:PATH, vmnet-helper:LOGFILE|-, firecracker:FIFO, cloud-hypervisor+unix:PATH (repeatable). Default: unix:\(AgentDefaults.socketPath).",
                               valueName: "spec"))
    var sources: [String] = []

    @Option(name: [.customShort("i"), .long], help: ArgumentHelp("Scrape interval: 1s, 500ms, 2.5 (seconds); 100ms to 1h.", valueName: "duration"))
    var interval = "1s"

    @Option(help: ArgumentHelp("Dashboard: a name (backpressure, iperf3, prometheus-generic, observe, gvproxy, vmnet-helper, firecracker, cloud-hypervisor) or a path to a .json file. Default: iperf3 with an iperf3 run, else backpressure.", valueName: "name|path"))
    var dashboard: String?

    @Option(name: .customLong("iperf3"), help: ArgumentHelp("Follow an iperf3 log as it is written (--logfile), or - to read a pipe.", valueName: "file|-"))
    var iperf3File: String?

    @Argument(parsing: .postTerminator, help: "An iperf3 command to run and show (after --), e.g. -- iperf3 -c HOST -P 8 --bidir.")
    var command: [String] = []

    @OptionGroup var display: DisplayOptions

    @OptionGroup var recording: RecordOption

    @Flag(help: "Scrape twice one interval apart, print the per-stream table and exit.")
    var once = false

    @Flag(help: "With --once: print the JSON object (schema 1: sources and streams, base units) instead of a table.")
    var json = false

    @Flag(help: "Print one JSON object per interval, one per line, until interrupted (for jq and loggers).")
    var jsonLines = false

    @OptionGroup var gate: GateOptions

    @Flag(help: "With --threshold: quit at the first crossing that cannot be undone (a count or maximum over its limit).")
    var abortOnFail = false

    @Option(help: ArgumentHelp("When bptop quits, draw the session (iperf3's and the agent's throughput, buffer-full events, backpressure) into this .svg or .png.",
                               valueName: "file"))
    var plot: String?

    func validate() throws {
        if json && !once { throw ValidationError("--json needs --once") }
        if jsonLines && once { throw ValidationError("--json-lines and --once cannot be combined (--once --json prints one object)") }
        if jsonLines && iperf3Input != nil { throw ValidationError("--json-lines reads no iperf3 run") }
        if iperf3File != nil && !command.isEmpty { throw ValidationError("--iperf3 and a command after -- cannot be combined") }
        if recording.record != nil && (once || jsonLines) { throw ValidationError("--record records the dashboard; without a terminal use bptop record -o FILE") }
        if once && iperf3Input != nil { throw ValidationError("--once reads no iperf3 run; for a finished log use bptop report --iperf3 FILE") }
        if let plot {
            if once || jsonLines { throw ValidationError("--plot draws a live session; --once and --json-lines have none") }
            _ = try PictureFile(path: plot)
        }
        if (iperf3File == "-" ? 1 : 0) + sources.filter({ $0 == "vmnet-helper:-" }).count > 1 {
            throw ValidationError("standard input can feed only one of --iperf3 - and --source vmnet-helper:-")
        }
        _ = try definition()
        _ = try intervalMillis()
        // A bad --source is a usage error shown with this command's usage, before anything runs.
        for text in sources {
            do { _ = try SourceSpec(parsing: text) } catch { throw ValidationError("\(error)") }
        }
    }

    /// `--interval` in milliseconds, checked while parsing so its error comes with this usage.
    private func intervalMillis() throws -> Int {
        do { return try IntervalText.millis(interval) } catch { throw ValidationError(error.message) }
    }

    /// The dashboard `--dashboard` names, checked while parsing: a wrong name or a broken file is
    /// a bad option (exit 64) found before any source is contacted.
    private var dashboardName: String { dashboard ?? (iperf3Input == nil ? DashboardResolver.defaultName : "iperf3") }

    private func definition() throws -> DashboardDefinition {
        let name = dashboardName
        do { return try DashboardResolver.load(name, executablePath: CommandLine.arguments[0]) } catch {
            throw ValidationError("\(error)")
        }
    }

    private var iperf3Input: Iperf3Input? {
        if !command.isEmpty { return .command(command) }
        return iperf3File.map(Iperf3Input.init(option:))
    }

    func run() throws {
        let thresholds = try gate.parsed()
        if try abortOnFail && thresholds.isEmpty && definition().thresholds.isEmpty {
            throw UsageFailure("--abort-on-fail needs a --threshold")
        }
        if (once || jsonLines) && !thresholds.isEmpty { throw UsageFailure("--threshold checks a live run or a report; --once and --json-lines have none") }
        let millis = try intervalMillis()
        let specs = try sourceSpecs()
        let definition = try definition()
        if once || jsonLines {
            let run = OnceRun(sources: specs, definition: definition, intervalMillis: millis)
            if jsonLines {
                let status = run.stream { line in StandardOutput.write(line) }
                if status != 0 { throw ExitCode(status) }
                return
            }
            let outcome = run.run(json ? .json : .text)
            print(outcome.output, terminator: "")
            for error in outcome.errors { StandardError.write("bptop: error: \(error)\n") }
            for warning in outcome.warnings { StandardError.write("bptop: warning: \(warning)\n") }
            if outcome.exitCode != 0 { throw ExitCode(outcome.exitCode) }
            return
        }
        let recorder = try recording.writer(sources: specs, intervalMillis: millis, iperf3: iperf3Input, dashboard: dashboardName)
        var options = LiveSession.Options(sources: specs, definition: definition, intervalMillis: millis,
                                          colors: display.colors, forceASCII: display.ascii, iperf3: iperf3Input)
        options.thresholds += thresholds
        options.abortOnFail = abortOnFail
        options.keepsRun = plot != nil
        try watch(LiveSession(options: options, recorder: recorder), finish: { outcome in
            if let failure = recorder?.failure { throw CommandFailure(failure) }
            if let plot, let run = outcome.run { try PictureFile(path: plot).write(RunPlot.picture([(nil, run)])) }
        })
    }

    /// The sources to scrape: as given; else the default agent socket; with an iperf3 run and
    /// no agent there, none (iperf3 alone).
    private func sourceSpecs() throws -> [SourceSpec] {
        if sources.isEmpty {
            let path = AgentDefaults.socketPath
            guard access(path, F_OK) == 0 else {
                if iperf3Input != nil { return [] }
                throw CommandFailure("no agent socket at \(path); start one with: bpagent relay --listen 127.0.0.1:5202 --connect 127.0.0.1:5201 (or pass --source)")
            }
            return [try SourceSpec(parsing: "unix:\(path)")]
        }
        return try sources.map { text in
            do { return try SourceSpec(parsing: text) } catch { throw ValidationError("\(error)") }
        }
    }
}

/// Runs a live session to its end, then prints iperf3's summary where the terminal's scrollback
/// keeps it, and exits with iperf3's status when iperf3 failed. `cleanup` runs on every path;
/// `finish` after the summary (`--plot` writes its picture there).
func watch(_ session: LiveSession, cleanup: () -> Void = {}, finish: (LiveSession.Outcome) throws -> Void = { _ in }) throws {
    do {
        try session.prepare()
    } catch {
        cleanup()
        throw CommandFailure(error)
    }
    let outcome = session.run()
    cleanup()
    print(outcome.summary, terminator: "")
    try finish(outcome)
    if outcome.exitCode != 0 { throw ExitCode(outcome.exitCode) }
}
