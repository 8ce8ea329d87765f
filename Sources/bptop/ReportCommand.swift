import ArgumentParser
import Dashboard
import Feeds
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
            fail("cannot read \(iperf3): \(String(cString: strerror(errno)))")
        }
        var parser = Iperf3Parser()
        parser.feed(bytes)
        parser.finish()
        guard !parser.report.tests.isEmpty else {
            fail("no iperf3 output found in \(iperf3) (\(parser.report.skippedLines) lines could not be read)")
        }
        let agent = try agentScrape()
        print(json ? Iperf3ReportText.json(parser.report, agent: agent) : Iperf3ReportText.text(parser.report, agent: agent),
              terminator: "")
    }

    /// One scrape of every `--source` (the agent keeps closed streams for a while, so a finished
    /// run can still be joined); nil without sources.
    private func agentScrape() throws -> TimeSeriesStore? {
        guard !sources.isEmpty else { return nil }
        let specs = try sources.map { text in
            do { return try SourceSpec(parsing: text) } catch { throw ValidationError("\(error)") }
        }
        var data = CollectedData(names: CollectedData.uniqueNames(specs.map(\.shortName)), capacity: 2)
        for (i, spec) in specs.enumerated() {
            do {
                data.ingest(source: i, body: try ScrapeClient.fetch(spec, timeoutMillis: 5000), at: Double(Clocks.wallMicros()) / 1e6)
            } catch {
                fail("\(spec): \(error)")
            }
        }
        return data.store
    }
}
