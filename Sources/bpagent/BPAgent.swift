import ArgumentParser

@main
struct BPAgent: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bpagent",
        abstract: "An instrumented network relay that counts backpressure per stream and exports it.",
        subcommands: [RelayCommand.self, UnixgramCommand.self, TapCommand.self])
}
