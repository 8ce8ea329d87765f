import ArgumentParser
import Logging
import Relay
import Telemetry

/// `bpagent relay`'s UDP options: which protocols to relay on `--listen`, and the UDP streams'
/// cap, idle time and socket buffers.
struct UDPOptions: ParsableArguments {
    enum Proto: String, ExpressibleByArgument, CaseIterable {
        case tcp, udp, both
    }

    @Option(help: "What to relay on --listen: tcp, udp or both (one port for both, as iperf3's server does; iperf3 -u needs both).")
    var proto: Proto = .both

    @Option(help: ArgumentHelp("Seconds without a datagram after which a UDP stream is closed and its sockets freed (at most a day).", valueName: "seconds"))
    var udpIdle = Seconds(60)

    @Option(help: ArgumentHelp("UDP clients (address:port) relayed at once, 1 to 100000; datagrams of further clients are dropped and counted (reason no_stream).", valueName: "n"))
    var maxUdpStreams = 1024

    @Option(help: ArgumentHelp("SO_SNDBUF of each UDP socket, 4k to 64m (k and m suffixes).", valueName: "size"))
    var udpSndbuf = "1m"

    @Option(help: ArgumentHelp("SO_RCVBUF of each UDP socket, 4k to 64m (k and m suffixes): the burst the agent absorbs before the kernel drops.", valueName: "size"))
    var udpRcvbuf = "4m"

    /// The UDP relay's configuration; `tcp` holds what the TCP side was given.
    func configuration(_ tcp: RelayConfiguration, policy: RetryPolicy) throws -> UDPRelayConfiguration {
        guard maxUdpStreams >= 1, maxUdpStreams <= 100_000 else {
            throw ValidationError("invalid --max-udp-streams \(maxUdpStreams): expected 1 to 100000")
        }
        guard udpIdle.value > 0, udpIdle.value <= 86_400 else {
            throw ValidationError("invalid --udp-idle \(udpIdle): expected seconds above 0, at most a day")
        }
        return UDPRelayConfiguration(
            listen: tcp.listen, connect: tcp.connect, policy: policy, injection: tcp.injection, bufferSize: tcp.bufferSize,
            sendBuffer: try CommonOptions.size(udpSndbuf, option: "--udp-sndbuf"),
            receiveBuffer: try CommonOptions.size(udpRcvbuf, option: "--udp-rcvbuf"), maxStreams: maxUdpStreams,
            idleMicros: udpIdle.micros, closedRetentionMicros: tcp.closedRetentionMicros,
            maxClosedStreams: tcp.maxClosedStreams, poller: tcp.poller, writableFault: tcp.writableFault)
    }

    /// Builds the relays `--proto` asks for on `registry`: how to run them and how to stop them.
    /// With both, the UDP side listens on the port the TCP side got (the same one when port 0 was asked).
    func makeRelays(tcp config: RelayConfiguration, udp udpConfig: UDPRelayConfiguration, registry: StreamRegistry,
                    logger: Logger) throws -> AgentMode {
        let on = "on-full \(udpConfig.policy)\(config.injection.map { ", inject \($0)" } ?? "")"
            + "\(config.writableFault.map { ", inject \($0)" } ?? ""), poller \(config.poller)"
        switch proto {
        case .tcp:
            let relay = try TCPRelay(config: config, registry: registry, logger: logger)
            logger.notice("relaying tcp \(relay.boundAddress) → \(config.connect), copy \(config.copy.rawValue), \(on)")
            return AgentMode(run: relay.run, stop: relay.requestStop, listening: [relay.boundAddress.listenInfo(proto: "tcp")])
        case .udp:
            let relay = try UDPRelay(config: udpConfig, registry: registry, logger: logger)
            logger.notice("relaying udp \(relay.boundAddress) → \(udpConfig.connect), \(on)")
            return AgentMode(run: relay.run, stop: relay.requestStop, listening: [relay.boundAddress.listenInfo(proto: "udp")])
        case .both:
            let tcp = try TCPRelay(config: config, registry: registry, logger: logger)
            var atPort = udpConfig
            atPort.listen = tcp.boundAddress
            let pair = RelayPair(tcp: tcp, udp: try UDPRelay(config: atPort, registry: registry, logger: logger))
            let tcpPolicy = config.policy == udpConfig.policy ? "" : " (tcp streams: \(config.policy), never losing bytes)"
            logger.notice("relaying tcp and udp \(tcp.boundAddress) → \(config.connect), copy \(config.copy.rawValue), \(on)\(tcpPolicy)")
            return AgentMode(run: pair.run, stop: pair.requestStop,
                             listening: ["tcp", "udp"].map { tcp.boundAddress.listenInfo(proto: $0) })
        }
    }
}
