import ArgumentParser
import Dashboard
import Telemetry
import Session

struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Compare two runs (iperf3 logs, with the agent's figures when saved) per direction, with the change.",
        discussion: """
            BEFORE and AFTER are iperf3 outputs (text, --json or --json-stream). --before-agent/--after-agent add each \
            run's agent figures from a saved scrape (curl --unix-socket SOCKET http://localhost/metrics > FILE). \
            --threshold 'regression(throughput_mean)<5%' fails (exit 99) when AFTER is more than 5 % worse.
            """)

    @Argument(help: ArgumentHelp("The first run's iperf3 output.", valueName: "before"))
    var before: String

    @Argument(help: ArgumentHelp("The second run's iperf3 output.", valueName: "after"))
    var after: String

    @Option(name: .customLong("before-agent"), help: ArgumentHelp("The agent's /metrics saved at the end of the first run.", valueName: "file"))
    var beforeAgent: String?

    @Option(name: .customLong("after-agent"), help: ArgumentHelp("The agent's /metrics saved at the end of the second run.", valueName: "file"))
    var afterAgent: String?

    @Option(name: .shortAndLong, help: ArgumentHelp("Also draw both runs overlaid into this picture (.svg or .png).", valueName: "file"))
    var output: String?

    @Flag(help: "Print JSON (base units, the change as a fraction).")
    var json = false

    @Flag(help: "Print GitHub Markdown tables (to paste into a pull request).")
    var markdown = false

    @OptionGroup var gate: GateOptions

    func validate() throws {
        if json && markdown { throw ValidationError("--json and --markdown cannot be combined") }
        if let output { _ = try PictureFile(path: output) }
    }

    func run() throws {
        let thresholds = try gate.parsed(allowRegression: true)
        let first = try load(before, agent: beforeAgent), second = try load(after, agent: afterAgent)
        let verdicts = thresholds.map { ThresholdVerdict($0, run: second, before: first) }
        if json {
            print(CompareReport.json(before: first, after: second, thresholds: verdicts), terminator: "")
        } else {
            print(markdown ? CompareReport.markdown(before: first, after: second) : CompareReport.text(before: first, after: second), terminator: "")
        }
        if let output {
            try PictureFile(path: output).write(RunPlot.picture([("before", first), ("after", second)], options: .init()))
        }
        try enforce(verdicts, toStandardError: json)
    }

    private func load(_ path: String, agent: String?) throws -> MeasuredRun {
        do {
            guard RunInput.isRecording(path) else { return try RunInput.load(iperf3: path, agentFiles: agent.map { [$0] } ?? []).run }
            let (loaded, problem) = try RunInput.load(recording: path)
            if let problem { StandardError.write("bptop: warning: \(problem)\n") }
            return loaded.run
        } catch { throw CommandFailure(error.message) }
    }
}
