import ArgumentParser
import Dashboard
import Feeds
import Session
import Telemetry
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Summarise a finished iperf3 run (text, --json or --json-stream output) per stream and in total.")

    @Option(help: "The iperf3 output to read (a --logfile, saved output, or - for standard input).")
    var iperf3: String

    @Flag(help: "Print JSON (rates in bits/s; bytes exact where iperf3 gave bytes).")
    var json = false

    @Option(name: .customLong("source"),
            help: "An agent to join with (unix:PATH or http://HOST:PORT/PATH, repeatable): scraped once, its streams' figures added.")
    var sources: [String] = []

    @Option(name: .customLong("agent-file"),
            help: ArgumentHelp("A saved scrape of the agent (curl --unix-socket … /metrics > FILE) to join with, instead of --source (repeatable).", valueName: "file"))
    var agentFiles: [String] = []

    @OptionGroup var gate: GateOptions

    func run() throws {
        let thresholds = try gate.parsed()
        guard let bytes = FileBytes.read(iperf3) else {
            throw CommandFailure("cannot read \(iperf3): \(String(cString: strerror(errno)))")
        }
        var parser = Iperf3Parser()
        parser.feed(bytes)
        parser.finish()
        guard !parser.report.tests.isEmpty else {
            throw CommandFailure("no iperf3 output found in \(iperf3) (\(CountText.of(parser.report.skippedLines, "line")) could not be read)")
        }
        let specs = try sourceSpecs(sources)
        let loaded: RunInput.Loaded
        do { loaded = try RunInput.load(iperf3: bytes, from: iperf3, sources: specs, agentFiles: agentFiles) } catch {
            throw CommandFailure(error.message)
        }
        let run = Iperf3ReportText.Run(name: Iperf3Input(option: iperf3).name)
        print(json ? Iperf3ReportText.json(parser.report, agent: loaded.agent)
                   : PrintedSummary.text(parser.report, agent: loaded.agent, run: run),
              terminator: "")
        try enforce(thresholds.map { ThresholdVerdict($0, run: loaded.run) }, toStandardError: json)
    }
}

/// `--source` texts as specs; a bad one is a bad option (exit 64).
func sourceSpecs(_ texts: [String]) throws -> [SourceSpec] {
    try texts.map { text in
        do { return try SourceSpec(parsing: text) } catch { throw ValidationError("\(error)") }
    }
}
