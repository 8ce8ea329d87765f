import ArgumentParser
import Relay

/// `bpagent stream`: sits between a VMM and a network helper that exchange Ethernet frames
/// over a unix stream socket, each frame after a 4-byte big-endian length (QEMU -netdev stream,
/// passt, socket_vmnet), and counts every frame per flow.
struct StreamCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stream",
        abstract: "Relay length-prefixed Ethernet frames between a VMM (--listen) and a network helper (--connect) over unix stream sockets, counting backpressure per flow.",
        discussion: """
            The framing of QEMU's -netdev stream, passt and socket_vmnet: each frame after its length as 4 bytes, \
            big-endian. The VMM connects to --listen (QEMU: -netdev stream,server=off,addr.type=unix,addr.path=PATH); \
            for each connection the agent connects to the helper at --connect. A frame is dropped only whole (drop, \
            or sleep's retry budget): one the socket refuses is never cut. A frame longer than 256 KiB is read and \
            discarded (reason too_large); a frame its sender left unfinished when it closed is counted as dropped \
            (reason send_error).
            """)

    @Option(help: ArgumentHelp("Socket path the VMM connects to (the agent binds it).", valueName: "path"))
    var listen: String

    @Option(help: ArgumentHelp("Socket path of the network helper to connect to (e.g. passt --socket PATH).", valueName: "path"))
    var connect: String

    @OptionGroup var datagram: DatagramOptions
    @OptionGroup var common: CommonOptions

    func validate() throws {
        try CommonOptions.checkSocketPath(listen, option: "--listen")
        try CommonOptions.checkSocketPath(connect, option: "--connect")
    }

    func run() throws {
        try datagram.serveFrames(common, kind: "frame streams", proto: "unixstream", listen: listen, connect: connect) {
            options, config, registry, logger in
            let relay = try FrameStreamRelay(listen: listen, connect: connect, options: options, config: config,
                                             registry: registry, logger: logger)
            return (relay.run, relay.requestStop)
        }
    }
}
