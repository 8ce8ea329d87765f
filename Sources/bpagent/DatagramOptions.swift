import ArgumentParser
import Logging
import Relay
import Telemetry

/// Options of the frame modes (`unixgram`, `tap`): socket buffers and the flow table.
struct DatagramOptions: ParsableArguments {
    @Option(help: ArgumentHelp("SO_SNDBUF of each unix socket, 4k to 64m (k and m suffixes). For datagrams it also caps the largest frame.", valueName: "size"))
    var sndbuf = "1m"

    @Option(help: ArgumentHelp("SO_RCVBUF of each unix socket, 4k to 64m (k and m suffixes).", valueName: "size"))
    var rcvbuf = "4m"

    @Option(help: ArgumentHelp("Flows tracked at once, 1 to 1000000; frames of further new flows are counted under one overflow stream.", valueName: "n"))
    var maxFlows = 4096

    @Option(help: ArgumentHelp("Seconds without a frame after which a flow is forgotten and its stream closed (at most a day).", valueName: "seconds"))
    var flowIdle = Seconds(60)

    @Option(help: ArgumentHelp("Frames moved per system call on a unix datagram socket (recvmmsg, sendmmsg; from a TAP, frames read before a sendmmsg), 1 to 64; 1 moves one frame at a time.", valueName: "n"))
    var receiveBatch = DatagramConfiguration.defaultReceiveBatch

    /// Checked while parsing, so errors come with the subcommand's usage.
    func validate() throws {
        _ = try socketOptions(mode: 0o600)
        try checkFlowTable()
    }

    func socketOptions(mode: UInt32) throws -> DatagramSocketOptions {
        DatagramSocketOptions(sendBuffer: try CommonOptions.size(sndbuf, option: "--sndbuf"),
                              receiveBuffer: try CommonOptions.size(rcvbuf, option: "--rcvbuf"), mode: mode)
    }

    private func checkFlowTable() throws {
        guard maxFlows >= 1, maxFlows <= 1_000_000 else {
            throw ValidationError("invalid --max-flows \(maxFlows): expected 1 to 1000000")
        }
        guard flowIdle.value > 0, flowIdle.value <= 86_400 else {
            throw ValidationError("invalid --flow-idle \(flowIdle): expected seconds above 0, at most a day")
        }
        guard receiveBatch >= 1, receiveBatch <= 64 else {
            throw ValidationError("invalid --receive-batch \(receiveBatch): expected 1 to 64")
        }
    }

    func configuration(_ common: CommonOptions, readDelayMicros: UInt32 = 0) throws -> DatagramConfiguration {
        try checkFlowTable()
        return DatagramConfiguration(
            policy: try common.policy(), injection: try common.injection(), readDelayMicros: readDelayMicros,
            maxFlows: maxFlows, flowIdleMicros: flowIdle.micros,
            closedRetentionMicros: try common.export.retentionMicros(), maxClosedStreams: try common.export.retainedStreams(),
            writableFault: try common.writableFault(), poller: try common.pollerKind(), receiveBatch: receiveBatch)
    }
}

extension DatagramOptions {
    /// Runs a frame relay between a VMM's socket at `listen` and a helper's at `connect` (`unixgram`,
    /// `stream`): its options read, the exporter started, the relay made by `make`, and its one
    /// listening socket exported as `proto`.
    func serveFrames(_ common: CommonOptions, kind: String, proto: String, listen: String, connect: String,
                     make: (DatagramSocketOptions, DatagramConfiguration, StreamRegistry, Logger) throws
                         -> (run: () -> Void, stop: @Sendable () -> Void)) throws {
        let level = try common.export.level()
        let endpoints = try common.export.endpoints()
        let mode = try common.export.mode()
        let config = try configuration(common)
        let options = try socketOptions(mode: mode)
        let logger = AgentRuntime.makeLogger(level: level)
        try AgentRuntime.serve(endpoints: endpoints, socketMode: mode, selection: try common.export.streamSelection(),
                               logger: logger) { registry in
            let relay = try make(options, config, registry, logger)
            logger.notice("relaying \(kind) \(listen) ⇄ \(connect), on-full \(config.policy)\(config.injection.map { ", inject \($0)" } ?? "")")
            return AgentMode(run: relay.run, stop: relay.stop, listening: [ListenInfo(proto: proto, address: listen)])
        }
    }
}
