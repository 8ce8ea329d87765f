import ArgumentParser
import Relay
import Telemetry

/// `bpagent tap`: the VMM's part in the lab — moves frames between a TAP interface and a unix
/// datagram socket, as a VMM does for its guest's NIC. No metrics unless `--metrics` is given,
/// so it never contends for the default socket with the agent it talks to.
struct TapCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tap",
        abstract: "Move Ethernet frames between a TAP interface and a unix datagram socket (a VMM's side, for the lab). Serves metrics only when --metrics is given.")

    @Option(help: ArgumentHelp("TAP interface to open or create (in this process's network namespace).", valueName: "name"))
    var tap: String

    @Option(help: ArgumentHelp("Socket path to bind and receive frames on; replies go to the last sender.", valueName: "path"))
    var listen: String?

    @Option(help: ArgumentHelp("Socket path to send frames to.", valueName: "path"))
    var connect: String?

    @Option(help: ArgumentHelp("With --connect: path to bind this end to, so the peer can reply across network namespaces (default: an auto-bound abstract name).", valueName: "path"))
    var bind: String?

    @Option(help: ArgumentHelp("Sleep this long before each read from the socket (e.g. 20us, 1ms): a slow receiver.", valueName: "duration"))
    var readDelay: String?

    @OptionGroup var datagram: DatagramOptions
    @OptionGroup var common: CommonOptions

    func validate() throws {
        guard (listen == nil) != (connect == nil) else {
            throw ValidationError("give exactly one of --listen PATH and --connect PATH")
        }
        if bind != nil && connect == nil { throw ValidationError("--bind goes with --connect") }
        try CommonOptions.checkSocketPath(listen, option: "--listen")
        try CommonOptions.checkSocketPath(connect, option: "--connect")
        try CommonOptions.checkSocketPath(bind, option: "--bind")
        _ = try readDelayMicros()
    }

    private func readDelayMicros() throws -> UInt32 {
        guard let readDelay else { return 0 }
        guard let micros = RetryPolicy.parseMicros(Substring(readDelay)) else {
            throw ValidationError("invalid --read-delay \"\(readDelay)\": expected a duration such as 20us or 1ms (1us to 1s)")
        }
        return micros
    }

    func run() throws {
        let level = try common.export.level()
        let endpoints = common.export.metrics.isEmpty ? [] : try common.export.endpoints()
        let mode = try common.export.mode()
        let delay = try readDelayMicros()
        let config = try datagram.configuration(common, readDelayMicros: delay)
        let options = try datagram.socketOptions(mode: mode)
        let role: DatagramSocketRole = listen.map { .listen(path: $0) } ?? .connect(path: connect!, bindPath: bind)
        let logger = AgentRuntime.makeLogger(level: level)
        try AgentRuntime.serve(endpoints: endpoints, socketMode: mode, selection: try common.export.streamSelection(),
                               logger: logger) { registry in
            let relay = try DatagramRelay.tap(tap, socket: role, options: options, config: config,
                                              registry: registry, logger: logger)
            logger.notice("moving frames between \(tap) and \(listen ?? connect!)\(delay > 0 ? ", read delay \(delay) µs" : "")")
            return AgentMode(run: relay.run, stop: relay.requestStop,
                             listening: listen.map { [ListenInfo(proto: "unixgram", address: $0)] } ?? [])
        }
    }
}
