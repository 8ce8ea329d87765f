import ArgumentParser
import Relay
import Telemetry

@main
struct BPAgent: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bpagent",
        abstract: "An instrumented network relay that counts backpressure per stream and exports it.",
        discussion: """
            Each mode relays traffic and counts, per stream and direction, the writes that failed with a full \
            buffer (EAGAIN, ENOBUFS), the retries they caused and how long each write stalled. The counts are \
            served over HTTP on a unix socket (default $XDG_RUNTIME_DIR/bpagent.sock, or /tmp/bpagent.sock) \
            and optionally TCP: GET /metrics (Prometheus text 0.0.4, or OpenMetrics 1.0 when the Accept \
            header asks; gzip when accepted), /metrics.json and /healthz.

            SIGINT or SIGTERM stops the agent: it prints a per-stream summary to standard error, removes its \
            socket files and exits 0. Exit status 64: a bad option; 1: a failure at run time (a port in use, \
            a socket path that is not a socket).

            Shell completions: bpagent --generate-completion-script bash|zsh|fish.
            """,
        version: "bpagent \(BuildInfo.current.version), revision \(BuildInfo.current.revision)",
        subcommands: [RelayCommand.self, UnixgramCommand.self, StreamCommand.self, TapCommand.self, ObserveCommand.self])

    /// Runs the command; an `AgentFailure` is one `bpagent: error:` line and exit status 1.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let failure as AgentFailure {
            StderrQueue.shared.write("bpagent: error: \(failure.message)\n", always: true)
            StderrQueue.shared.flush()
            Self.exit(withError: ExitCode.failure)
        } catch {
            Self.exit(withError: error)
        }
    }
}

/// A failure after the arguments were read (a port in use, a socket path that is not a
/// socket): printed by `main` as one line, exit status 1 (64 stays argument-parser's).
struct AgentFailure: Error {
    let message: String
}
