import ArgumentParser
import Dashboard
import Feeds
import Recording
import Session
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run iperf3 through a bpagent relay on loopback and watch both, joined.",
        discussion: """
            Starts iperf3 -s and bpagent relay on free loopback ports, then iperf3 -c -P N --bidir through \
            the relay as bptop's child. Quitting (q) stops every process the demo started and removes its files.
            """)

    @Option(name: [.customShort("t"), .long], help: "Seconds iperf3 runs.")
    var time = 60

    @Option(name: [.customShort("P"), .long], help: "Parallel streams each way.")
    var parallel = 8

    @Flag(name: [.customShort("u"), .long], help: "A UDP run (iperf3 -u): the agent relays the datagrams and counts where any were lost.")
    var udp = false

    @Option(name: [.customShort("b"), .long], help: ArgumentHelp("UDP target bitrate per stream (iperf3 -b), with -u.", valueName: "rate"))
    var bitrate = "100M"

    @Option(help: "The agent's retry policy (bpagent relay --on-full): wait, spin or sleep=DURATION.")
    var onFull: String?

    @Option(help: "Inject buffer-full failures in the agent (bpagent relay --inject): enobufs:every=N[,burst=K].")
    var inject: String?

    @OptionGroup var display: DisplayOptions

    @OptionGroup var recording: RecordOption

    func validate() throws {
        guard (1...86_400).contains(time) else { throw ValidationError("invalid --time \(time): expected 1 to 86400 seconds") }
        guard (1...128).contains(parallel) else { throw ValidationError("invalid --parallel \(parallel): expected 1 to 128") }
        let digits = bitrate.last.map { "KMG".contains($0) } == true ? bitrate.dropLast() : Substring(bitrate)
        guard let rate = Double(digits), rate > 0, rate.isFinite else {
            throw ValidationError("invalid --bitrate \"\(bitrate)\": expected a number with an optional K, M or G, like 100M or 1G")
        }
    }

    func run() throws {
        let servers: DemoServers
        do {
            let options = (onFull.map { ["--on-full", $0] } ?? []) + (inject.map { ["--inject", $0] } ?? [])
            servers = try DemoServers.start(bpagent: SiblingExecutable.path("bpagent"), agentOptions: options)
        } catch {
            throw CommandFailure(error)
        }
        let definition: DashboardDefinition
        do {
            definition = try DashboardResolver.load("iperf3", executablePath: CommandLine.arguments[0])
        } catch {
            servers.stop()
            throw CommandFailure(error)
        }
        let sources = [try SourceSpec(parsing: "unix:\(servers.metricsSocket)")]
        let iperf3 = Iperf3Input.command(servers.clientArguments(parallel: parallel, seconds: time, udpBitrate: udp ? bitrate : nil))
        let recorder: RecordingWriter?
        do {
            recorder = try recording.writer(sources: sources, intervalMillis: 1000, iperf3: iperf3, dashboard: "iperf3")
        } catch {
            servers.stop()
            throw error
        }
        let session = LiveSession(options: .init(sources: sources, definition: definition, intervalMillis: 1000,
                                                 colors: display.colors, forceASCII: display.ascii, iperf3: iperf3),
                                  recorder: recorder)
        try watch(session, cleanup: servers.stop)
        if let failure = recorder?.failure { throw CommandFailure(failure) }
    }
}
