/// Where bptop reads iperf3's output from while it runs.
public enum Iperf3Input: Equatable, Sendable {
    /// `--iperf3 FILE`: a log iperf3 is writing (`--logfile`), followed like `tail -F`.
    case follow(path: String)
    /// `--iperf3 -`: a pipe on standard input.
    case standardInput
    /// `bptop -- iperf3 …`: a child bptop starts, its output captured.
    case command([String])

    /// `--iperf3 VALUE`.
    public init(option value: String) {
        self = value == "-" ? .standardInput : .follow(path: value)
    }

    /// The run as a summary's title names it: the command as given, or where its output came from.
    public var name: String {
        switch self {
        case .follow(let path): "iperf3 log \(path)"
        case .standardInput: "iperf3 output from standard input"
        case .command(let arguments): arguments.joined(separator: " ")
        }
    }

    /// The child's arguments with `--forceflush` added so its lines arrive as they are printed
    /// (iperf3 block-buffers a pipe otherwise). Not for `-J`: that prints one document at the end.
    public static func liveArguments(_ arguments: [String]) -> [String] {
        let json = arguments.contains { $0 == "-J" || $0 == "--json" }
        guard !json, !arguments.contains("--forceflush") else { return arguments }
        return arguments + ["--forceflush"]
    }
}
