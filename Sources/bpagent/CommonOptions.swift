#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ArgumentParser
import Relay
import Telemetry

/// Options every relaying mode shares: the export's, and what a relay does when a destination
/// is full, injected faults and the event loop's readiness API (none of which `observe` has).
struct CommonOptions: ParsableArguments {
    @OptionGroup var export: ExportOptions

    @Option(help: ArgumentHelp("Retry policy when the destination is full: wait, spin, sleep=DURATION[,max=N] (e.g. sleep=50us,max=100) or drop.", valueName: "policy"))
    var onFull = "wait"

    @Option(help: ArgumentHelp("Inject a fault (repeatable): enobufs:every=N[,burst=K] (ENOBUFS at the send wrapper) or no-writable[:for=DURATION] (the poller withholds a blocked destination's writable event).", valueName: "fault"))
    var inject: [String] = []

    @Option(help: ArgumentHelp("Readiness API of the relay's event loop: epoll (Linux) or poll (poll(2), as on macOS). Default: $BPAGENT_POLLER, else the platform's.", valueName: "api"))
    var poller: String = CommonOptions.defaultPoller

    /// Checks every value while parsing, so a bad one is reported with the subcommand's usage.
    func validate() throws {
        _ = try (policy(), injection())
    }

    /// A socket path option (`--listen PATH` …) that no socket can be bound or connected at.
    static func checkSocketPath(_ path: String?, option: String) throws {
        guard let path, let problem = SocketPathHygiene.lengthProblem(path) else { return }
        throw ValidationError("invalid \(option) \"\(path)\": \(problem)")
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
}
