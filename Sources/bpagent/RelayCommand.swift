import ArgumentParser
import Exporter
import Logging
import Relay
import Telemetry

struct RelayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "relay",
        abstract: "Relay TCP connections and UDP datagrams from --listen to --connect, counting backpressure per stream.")

    @Option(help: ArgumentHelp("Address to accept TCP connections and UDP datagrams on: HOST:PORT or [IPv6]:PORT (127.0.0.1:5202, [::1]:5202, 0.0.0.0:5202); port 0 picks a free one.", valueName: "host:port"))
    var listen: String

    @Option(help: ArgumentHelp("Address to relay each connection and UDP client to: HOST:PORT or [IPv6]:PORT (where iperf3 -s listens).", valueName: "host:port"))
    var connect: String

    @Option(help: ArgumentHelp("Bytes buffered per direction, 4k to 64m (k and m suffixes); for UDP the largest datagram relayed.", valueName: "size"))
    var bufferSize = "256k"

    @Option(help: ArgumentHelp("How bytes move: splice (through a pipe, Linux) or buffer (read/send through user space).", valueName: "mode"))
    var copy: String = CopyMode.platformDefault.rawValue

    @OptionGroup var udp: UDPOptions
    @OptionGroup var common: CommonOptions

    /// Checked while parsing, so errors come with this subcommand's usage.
    func validate() throws {
        _ = try configuration()
    }

    func run() throws {
        let level = try common.export.level()
        let endpoints = try common.export.endpoints()
        let mode = try common.export.mode()
        let (config, udpConfig) = try configuration()
        let logger = AgentRuntime.makeLogger(level: level)
        try AgentRuntime.serve(endpoints: endpoints, socketMode: mode, selection: try common.export.streamSelection(),
                               logger: logger) { registry in
            try udp.makeRelays(tcp: config, udp: udpConfig, registry: registry, logger: logger)
        }
    }
}

extension RelayCommand {
    /// The TCP relay's configuration and the UDP relay's. A byte stream must never lose bytes:
    /// next to UDP, a dropping policy is for the UDP side only (TCP alone refuses it).
    func configuration() throws -> (RelayConfiguration, UDPRelayConfiguration) {
        do {
            let policy = try common.policy()
            let config = try RelayConfiguration(
                listen: SocketAddress(parsing: listen), connect: SocketAddress(parsing: connect),
                policy: udp.proto == .tcp ? policy : policy.lossless, injection: common.injection(),
                bufferSize: CommonOptions.size(bufferSize, option: "--buffer-size"), copy: copyMode(),
                closedRetentionMicros: common.export.retentionMicros(), maxClosedStreams: common.export.retainedStreams(),
                writableFault: common.writableFault(), poller: common.pollerKind())
            return (config, try udp.configuration(config, policy: policy))
        } catch let error as ValidationError {
            throw error
        } catch {
            throw ValidationError("\(error)")
        }
    }

    func copyMode() throws -> CopyMode {
        guard let mode = CopyMode(rawValue: copy) else {
            throw ValidationError("invalid --copy \"\(copy)\": expected splice or buffer")
        }
        #if !os(Linux)
        guard mode == .buffer else { throw ValidationError("--copy splice needs Linux") }
        #endif
        return mode
    }
}
