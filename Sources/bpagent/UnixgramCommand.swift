import ArgumentParser
import Relay

/// `bpagent unixgram`: sits between a VMM and a network helper that exchange Ethernet frames
/// over unix datagram sockets, one frame per datagram, and counts every frame per flow.
struct UnixgramCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unixgram",
        abstract: "Relay Ethernet frames between a VMM (--listen) and a network helper (--connect) over unix datagram sockets, counting backpressure per flow.")

    @Option(help: ArgumentHelp("Socket path the VMM sends its frames to (the agent binds it).", valueName: "path"))
    var listen: String

    @Option(help: ArgumentHelp("Socket path of the network helper the frames go to.", valueName: "path"))
    var connect: String

    @Option(help: ArgumentHelp("Path the agent binds its helper-side socket to, so the helper can reply (default: an auto-bound abstract name, Linux).", valueName: "path"))
    var bind: String?

    @OptionGroup var datagram: DatagramOptions
    @OptionGroup var common: CommonOptions

    func validate() throws {
        try CommonOptions.checkSocketPath(listen, option: "--listen")
        try CommonOptions.checkSocketPath(connect, option: "--connect")
        try CommonOptions.checkSocketPath(bind, option: "--bind")
    }

    func run() throws {
        try datagram.serveFrames(common, kind: "frames", proto: "unixgram", listen: listen, connect: connect) { options, config, registry, logger in
            let relay = try DatagramRelay.unixgram(listen: listen, connect: connect, bindPath: bind, options: options,
                                                   config: config, registry: registry, logger: logger)
            return (relay.run, relay.requestStop)
        }
    }
}
