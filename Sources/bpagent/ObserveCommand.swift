#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import Observe
import Telemetry

/// `bpagent observe`: no relay; the kernel's own view of sockets that already exist, read
/// through its socket diagnostics and exported like a relay's streams.
struct ObserveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "observe",
        abstract: "Export the kernel's view of existing TCP and unix sockets (send-buffer and window limits, queues, drops), without relaying.",
        discussion: """
            Sockets are selected with --pid, --unix and --tcp (repeatable; a socket any of them picks is \
            observed) and read through NETLINK_SOCK_DIAG at --rate polls per second. Each socket is a stream \
            with the relay's identity labels (proto, local, peer) plus pid, comm and inode, so bptop joins it \
            with iperf3 the same way. Needs root.
            """)

    @Option(help: "Observe every TCP and unix socket this process holds (repeatable).")
    var pid: [Int32] = []

    @Option(help: "Observe the unix sockets bound at this path and their peers (repeatable).")
    var unix: [String] = []

    @Option(help: "Observe TCP sockets by port: sport=PORT, dport=PORT or port=PORT (repeatable).")
    var tcp: [String] = []

    @Option(help: "Polls per second (0.1 to 1000).")
    var rate: Double = 10

    @OptionGroup var common: ExportOptions

    func validate() throws {
        _ = try selection()
        guard rate >= 0.1, rate <= 1000 else { throw ValidationError("invalid --rate \(rate): expected 0.1 to 1000 polls per second") }
    }

    func selection() throws -> SocketSelection {
        guard !pid.isEmpty || !unix.isEmpty || !tcp.isEmpty else {
            throw ValidationError("nothing to observe: give --pid PID, --unix PATH or --tcp sport=PORT|dport=PORT")
        }
        if let bad = pid.first(where: { $0 <= 0 }) { throw ValidationError("invalid --pid \(bad): expected a process id") }
        do {
            return SocketSelection(pids: pid, unixPaths: unix, tcpFilters: try tcp.map { text throws(ObserveError) in try TCPPortFilter(parsing: text) })
        } catch {
            throw ValidationError("\(error)")
        }
    }

    func run() throws {
        let level = try common.level()
        let endpoints = try common.endpoints()
        let mode = try common.mode()
        let selection = try selection()
        guard geteuid() == 0 else {
            throw AgentFailure(message: "bpagent observe needs root: it reads other processes' /proc/PID/fd and their sockets' kernel figures")
        }
        do { try SocketObserver.checkTargets(selection) } catch { throw AgentFailure(message: "\(error)") }
        let configuration = SocketObserver.Configuration(
            selection: selection, intervalMicros: UInt64(1_000_000 / rate),
            closedRetentionMicros: try common.retentionMicros(), maxFinished: try common.retainedStreams())
        let logger = AgentRuntime.makeLogger(level: level)
        let publication = ObservedPublication()
        try AgentRuntime.serve(endpoints: endpoints, socketMode: mode, selection: try common.streamSelection(), logger: logger,
                               annotate: publication.annotate) { registry in
            let observer = try SocketObserver(configuration: configuration, registry: registry, publication: publication) {
                logger.notice("\($0)")
            }
            logger.notice("observing \(Self.describe(selection)) at \(rate) polls/s")
            return AgentMode(run: observer.run, stop: observer.stop, listening: [])
        }
    }

    private static func describe(_ s: SocketSelection) -> String {
        (s.pids.map { "pid \($0)" } + s.unixPaths.map { "unix \($0)" } + s.tcpFilters.map { "tcp \($0)" }).joined(separator: ", ")
    }
}
