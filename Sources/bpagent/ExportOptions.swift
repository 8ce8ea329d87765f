#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ArgumentParser
import Exporter
import Logging
import Telemetry

/// Options every agent mode shares, `observe` included: where metrics go, which streams they
/// list and for how long, logging.
struct ExportOptions: ParsableArguments {
    @Option(name: .customLong("metrics"),
            help: ArgumentHelp("Where to serve metrics (repeatable): unix:PATH, tcp:PORT (on 127.0.0.1), tcp:HOST:PORT or tcp:[IPv6]:PORT; port 0 picks a free one. Default: unix:\(ExportOptions.defaultSocket).",
                               valueName: "endpoint"))
    var metrics: [String] = []

    @Flag(help: "Serve no metrics at all (for measuring the cost of the export).")
    var noMetrics = false

    @Option(help: ArgumentHelp("File mode of the metrics unix socket, in octal.", valueName: "octal"))
    var socketMode = "600"

    @Option(help: ArgumentHelp("Seconds a closed stream stays in the export (0 to a year).", valueName: "seconds"))
    var closedRetention = Seconds(300)

    @Option(help: ArgumentHelp("Closed streams kept in the export at most; beyond it the longest closed go first. Their counts stay in the bpagent_agent_* totals.", valueName: "n"))
    var maxStreams = 10_000

    @Option(help: ArgumentHelp("Streams listed in the export: none (only the agent totals), open, or all (open and retained closed ones).", valueName: "which"))
    var exportStreams = "all"

    @Option(help: ArgumentHelp("Log level: trace, debug, info, notice, warning, error or critical.", valueName: "level"))
    var logLevel = "info"

    /// `$XDG_RUNTIME_DIR/bpagent.sock`, or `/tmp/bpagent.sock` without one; bptop looks there too.
    static var defaultSocket: String { AgentDefaults.socketPath }

    /// Checks every value while parsing, so a bad one is reported with the subcommand's usage
    /// (a `ValidationError` thrown from `run()` shows the top-level usage instead).
    func validate() throws {
        _ = try (endpoints(), mode(), level(), retentionMicros(), retainedStreams(), streamSelection())
    }

    func endpoints() throws -> [MetricsEndpoint] {
        let parsed = try metrics.map { spec in
            let endpoint: MetricsEndpoint
            do { endpoint = try MetricsEndpoint.parse(spec) } catch { throw ValidationError("\(error)") }
            if case .unix(let path) = endpoint, let problem = SocketPathHygiene.lengthProblem(path) {
                throw ValidationError("invalid --metrics \"\(spec)\": \(problem)")
            }
            return endpoint
        }
        if noMetrics {
            guard parsed.isEmpty else { throw ValidationError("--no-metrics and --metrics cannot be combined") }
            return []
        }
        return parsed.isEmpty ? [.unix(path: Self.defaultSocket)] : parsed
    }

    func mode() throws -> UInt32 {
        guard let m = UInt32(socketMode, radix: 8), m <= 0o777 else {
            throw ValidationError("invalid --socket-mode \"\(socketMode)\": expected an octal mode such as 600 or 660")
        }
        return m
    }

    func level() throws -> Logger.Level {
        guard let l = Logger.Level(rawValue: logLevel) else {
            throw ValidationError("invalid --log-level \"\(logLevel)\": expected trace, debug, info, notice, warning, error or critical")
        }
        return l
    }

    func retainedStreams() throws -> Int {
        guard (0...1_000_000).contains(maxStreams) else {
            throw ValidationError("invalid --max-streams \(maxStreams): expected 0 to 1000000")
        }
        return maxStreams
    }

    func streamSelection() throws -> StreamSelection {
        guard let selection = StreamSelection(rawValue: exportStreams) else {
            throw ValidationError("invalid --export-streams \"\(exportStreams)\": expected none, open or all")
        }
        return selection
    }

    func retentionMicros() throws -> UInt64 {
        guard closedRetention.value >= 0, closedRetention.value <= 86_400 * 365 else {
            throw ValidationError("invalid --closed-retention \(closedRetention): expected seconds from 0 to a year")
        }
        return closedRetention.micros
    }
}
