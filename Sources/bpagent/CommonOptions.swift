#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ArgumentParser
import Exporter
import Logging
import Relay
import Telemetry

/// Options every agent mode shares: where metrics go, logging and fault injection.
struct CommonOptions: ParsableArguments {
    @Option(name: .customLong("metrics"),
            help: ArgumentHelp("Where to serve metrics (repeatable): unix:PATH, tcp:PORT (on 127.0.0.1), tcp:HOST:PORT or tcp:[IPv6]:PORT; port 0 picks a free one. Default: unix:\(CommonOptions.defaultSocket).",
                               valueName: "endpoint"))
    var metrics: [String] = []

    @Flag(help: "Serve no metrics at all (for measuring the cost of the export).")
    var noMetrics = false

    @Option(help: ArgumentHelp("File mode of the metrics unix socket, in octal.", valueName: "octal"))
    var socketMode = "600"

    @Option(help: ArgumentHelp("Retry policy when the destination is full: wait, spin, sleep=DURATION[,max=N] (e.g. sleep=50us,max=100) or drop.", valueName: "policy"))
    var onFull = "wait"

    @Option(help: ArgumentHelp("Inject a fault (repeatable): enobufs:every=N[,burst=K] (ENOBUFS at the send wrapper) or no-writable[:for=DURATION] (the poller withholds a blocked destination's writable event).", valueName: "fault"))
    var inject: [String] = []

    @Option(help: ArgumentHelp("Readiness API of the relay's event loop: epoll (Linux) or poll (poll(2), as on macOS). Default: $BPAGENT_POLLER, else the platform's.", valueName: "api"))
    var poller: String = CommonOptions.defaultPoller

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
        _ = try (endpoints(), mode(), policy(), injection(), level(), retentionMicros(), retainedStreams(), streamSelection())
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

    /// A socket path option (`--listen PATH` …) that no socket can be bound or connected at.
    static func checkSocketPath(_ path: String?, option: String) throws {
        guard let path, let problem = SocketPathHygiene.lengthProblem(path) else { return }
        throw ValidationError("invalid \(option) \"\(path)\": \(problem)")
    }

    func mode() throws -> UInt32 {
        guard let m = UInt32(socketMode, radix: 8), m <= 0o777 else {
            throw ValidationError("invalid --socket-mode \"\(socketMode)\": expected an octal mode such as 600 or 660")
        }
        return m
    }

    func policy() throws -> RetryPolicy {
        do { return try RetryPolicy(parsing: onFull) } catch { throw ValidationError("\(error)") }
    }

    func injection() throws -> FaultInjection? { try faults().enobufs }

    func writableFault() throws -> WritableFault? { try faults().noWritable }

    /// A size option (`64k`, `1m`) in bytes; a bad one is a usage error naming the option.
    static func size(_ text: String, option: String) throws -> Int {
        do { return try ByteSize.parse(text, option: option) } catch { throw ValidationError(error.message) }
    }

    private func faults() throws -> InjectedFaults {
        do { return try InjectedFaults(parsing: inject) } catch { throw ValidationError("\(error)") }
    }

    static var defaultPoller: String {
        getenv("BPAGENT_POLLER").map { String(cString: $0) } ?? PollerKind.platformDefault.rawValue
    }

    func pollerKind() throws -> PollerKind {
        guard let kind = PollerKind(rawValue: poller) else {
            throw ValidationError("invalid --poller \"\(poller)\": expected epoll or poll")
        }
        guard kind.isAvailable else { throw ValidationError("--poller \(poller) is not available on this system; use poll") }
        return kind
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
