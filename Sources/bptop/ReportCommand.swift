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

    func run() throws {
        guard let bytes = FileBytes.read(iperf3) else {
            throw CommandFailure("cannot read \(iperf3): \(String(cString: strerror(errno)))")
        }
        var parser = Iperf3Parser()
        parser.feed(bytes)
        parser.finish()
        guard !parser.report.tests.isEmpty else {
            throw CommandFailure("no iperf3 output found in \(iperf3) (\(CountText.of(parser.report.skippedLines, "line")) could not be read)")
        }
        let agent = try agentScrape()
        let run = Iperf3ReportText.Run(name: Iperf3Input(option: iperf3).name)
        print(json ? Iperf3ReportText.json(parser.report, agent: agent) : PrintedSummary.text(parser.report, agent: agent, run: run),
              terminator: "")
    }

    /// The agents' figures to join with (nil without `--source`).
    private func agentScrape() throws -> TimeSeriesStore? {
        guard !sources.isEmpty else { return nil }
        let specs = try sources.map { text in
            do { return try SourceSpec(parsing: text) } catch { throw ValidationError("\(error)") }
        }
        do { return try AgentScrape.store(of: specs) } catch { throw CommandFailure(error.message) }
    }
}
