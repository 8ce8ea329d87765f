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
            help: "Where to serve metrics: unix:PATH or tcp:HOST:PORT (repeatable). Default: unix:\(CommonOptions.defaultSocket).")
    var metrics: [String] = []

    @Flag(help: "Serve no metrics at all (for measuring the cost of the export).")
    var noMetrics = false

    @Option(help: "File mode of the metrics unix socket, in octal.")
    var socketMode = "600"

    @Option(help: "Retry policy when the destination is full: wait, spin, sleep=50us[,max=N] or drop.")
    var onFull = "wait"

    @Option(help: "Inject a fault (repeatable): enobufs:every=N[,burst=K] (ENOBUFS at the send wrapper) or no-writable[:for=DURATION] (the poller withholds a blocked destination's writable event).")
    var inject: [String] = []

    @Option(help: "Readiness API of the relay's event loop: epoll (Linux) or poll (poll(2), as on macOS). Default: $BPAGENT_POLLER, else the platform's.")
    var poller: String = CommonOptions.defaultPoller

    @Option(help: "Seconds a closed stream stays in the export.")
    var closedRetention: Double = 300

    @Option(help: "Closed streams kept in the export at most; beyond it the longest closed go first. Their counts stay in the bpagent_agent_* totals.")
    var maxStreams = 10_000

    @Option(help: "Streams listed in the export: none (only the agent totals), open, or all (open and retained closed ones).")
    var exportStreams = "all"

    @Option(help: "Log level: trace, debug, info, notice, warning, error or critical.")
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
        guard closedRetention >= 0, closedRetention <= 86_400 * 365 else {
            throw ValidationError("invalid --closed-retention \(closedRetention): expected seconds from 0 to a year")
        }
        return UInt64(closedRetention * 1_000_000)
    }
}
