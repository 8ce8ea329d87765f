import Dispatch
import Exporter
import Logging
import Relay
import Synchronization
import Telemetry
#if canImport(Glibc)
import Glibc
import CSystemShims
#elseif canImport(Darwin)
import Darwin
#endif

/// Wires an agent mode to the exporter and to SIGINT/SIGTERM, the same way for every mode.
enum AgentRuntime {
    static func makeLogger(level: Logger.Level) -> Logger {
        LoggingSystem.bootstrap { StderrLogHandler(label: $0, level: level) }
        var logger = Logger(label: "bpagent")
        logger.logLevel = level
        return logger
    }

    /// Starts the metrics server, builds the mode with `make`, runs it on this thread until a
    /// signal arrives, then prints the summary and removes the socket files.
    /// `annotate` adds what a mode keeps beside the registry to each scrape's snapshot.
    static func serve(
        endpoints: [MetricsEndpoint], socketMode: UInt32, selection: StreamSelection, logger: Logger,
        annotate: (@Sendable (inout MetricsSnapshot) -> Void)? = nil,
        make: (StreamRegistry) throws -> AgentMode
    ) throws {
        signal(SIGPIPE, SIG_IGN)
        HeapPolicy.keepFreedMemory()
        let descriptors = DescriptorLimit.raiseSoftToHard()
        logger.info("file descriptor limit \(descriptors.after)\(descriptors.after != descriptors.before ? " (soft limit raised from \(descriptors.before))" : "")")
        let registry = StreamRegistry()
        // Optional so that a failed start can release the mode (closing its sockets and
        // removing the socket files it created) before exiting.
        var mode: AgentMode?
        do {
            mode = try make(registry)
        } catch {
            throw AgentFailure(message: "\(error)")
        }
        // Signals are handled before the metrics server answers: a script that sees /healthz
        // and then sends SIGTERM must never find the signal ignored and not yet watched.
        let stop = StopHandle(mode!.stop)
        let signals = DispatchQueue(label: "bpagent.signals")
        let sources = [SIGINT, SIGTERM].map { sig in
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: signals)
            source.setEventHandler { stop.fire() }
            source.resume()
            return source
        }
        let listening = mode!.listening
        let server = MetricsServer(endpoints: endpoints, socketMode: mode_t(socketMode), logger: logger) { exporter in
            var snapshot = registry.snapshot(selection: selection)
            snapshot.agent.logLinesDropped = StderrQueue.shared.droppedLines
            snapshot.build = BuildInfo.current
            snapshot.process = ProcessSnapshot.current()
            snapshot.exporter = exporter
            snapshot.listening = listening
            annotate?(&snapshot)
            return snapshot
        }
        do {
            try server.start()
        } catch {
            sources.forEach { $0.cancel() }
            stop.clear()
            mode = nil
            throw AgentFailure(message: "\(error)")
        }
        for endpoint in endpoints { logger.notice("metrics at \(endpoint)") }
        mode!.run()
        sources.forEach { $0.cancel() }
        stop.clear()
        mode = nil
        server.stop()
        StderrQueue.shared.write(SummaryText.render(registry.snapshot()), always: true)
        StderrQueue.shared.flush()
    }
}

/// A running agent mode: its loop, how to stop it from another thread, and where it listens.
struct AgentMode {
    let run: () -> Void
    let stop: @Sendable () -> Void
    let listening: [ListenInfo]
}

/// What a signal handler calls to stop the running mode; cleared once the mode is done, so
/// the handler no longer keeps the mode (and its sockets) alive.
private final class StopHandle: Sendable {
    private let action: Mutex<(@Sendable () -> Void)?>

    init(_ action: @escaping @Sendable () -> Void) { self.action = Mutex(action) }

    func fire() { action.withLock { $0 }?() }

    func clear() { action.withLock { $0 = nil } }
}
