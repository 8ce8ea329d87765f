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
        print(json ? Iperf3ReportText.json(parser.report) : Iperf3ReportText.text(parser.report), terminator: "")
    }
}
