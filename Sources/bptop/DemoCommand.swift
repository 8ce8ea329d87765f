import ArgumentParser
import Dashboard
import Feeds
import Terminal
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
            Starts iperf3 -s and bpagent relay on free loopback ports, then iperf3 -c -P N --bidir through \\
            the relay as bptop's child. Quitting (q) stops every process the demo started and removes its files.
            """)

    @Option(name: [.customShort("t"), .long], help: "Seconds iperf3 runs.")
    var time = 60

    @Option(name: [.customShort("P"), .long], help: "Parallel streams each way.")
    var parallel = 8

    @Option(help: "The agent's retry policy (bpagent relay --on-full): wait, spin or sleep=DURATION.")
    var onFull: String?

    @Option(help: "Inject buffer-full failures in the agent (bpagent relay --inject): enobufs:every=N[,burst=K].")
    var inject: String?

    @Flag(help: "No colors (also when NO_COLOR is set).")
    var noColor = false

    @Flag(help: "Draw with ASCII only.")
    var ascii = false

    func validate() throws {
        guard (1...86_400).contains(time) else { throw ValidationError("invalid --time \(time): expected 1 to 86400 seconds") }
        guard (1...128).contains(parallel) else { throw ValidationError("invalid --parallel \(parallel): expected 1 to 128") }
    }

    func run() throws {
        let servers: DemoServers
        do {
            let options = (onFull.map { ["--on-full", $0] } ?? []) + (inject.map { ["--inject", $0] } ?? [])
            servers = try DemoServers.start(bpagent: siblingExecutable("bpagent"), agentOptions: options)
        } catch {
            fail("\(error)")
        }
        let definition: DashboardDefinition
        do {
            definition = try DashboardResolver.load("iperf3", executablePath: CommandLine.arguments[0])
        } catch {
            servers.stop()
            fail("\(error)")
        }
        let colors = !noColor && getenv("NO_COLOR").map { String(cString: $0).isEmpty } ?? true
        let session = LiveSession(options: .init(
            sources: [try SourceSpec(parsing: "unix:\(servers.metricsSocket)")], definition: definition, intervalMillis: 1000,
            colors: colors, forceASCII: ascii, iperf3: .command(servers.clientArguments(parallel: parallel, seconds: time))))
        try watch(session, cleanup: servers.stop)
    }

    /// `bpagent` next to this bptop (as `swift build` and an install put them), else from PATH.
    private func siblingExecutable(_ name: String) -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        let own = n > 0 ? String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self) : CommandLine.arguments[0]
        guard let slash = own.lastIndex(of: "/") else { return name }
        let candidate = own[..<slash] + "/" + name
        return access(candidate, X_OK) == 0 ? candidate : name
    }
}
