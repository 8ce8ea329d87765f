import ArgumentParser
import Telemetry

@main
struct BPAgent: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bpagent",
        abstract: "An instrumented network relay that counts backpressure per stream and exports it.",
        version: "bpagent \(BuildInfo.current.version), revision \(BuildInfo.current.revision)",
        subcommands: [RelayCommand.self, UnixgramCommand.self, TapCommand.self])
}
