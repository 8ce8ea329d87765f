import ArgumentParser
import Recording
import Session
import Telemetry

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a recording as OpenMetrics text (for promtool backfill) or CSV, on standard output.",
        discussion: """
            --openmetrics: every recorded sample with its scrape time (and iperf3's intervals as iperf3_bytes_total, \
            iperf3_retransmits_total), each with the instance label of its source; promtool tsdb \
            create-blocks-from openmetrics reads it. --csv: one row per scrape per stream and direction, in base units.
            """)

    @Argument(help: ArgumentHelp("The recording.", valueName: "file"))
    var file: String

    @Flag(help: "OpenMetrics text with timestamps.")
    var openmetrics = false

    @Flag(help: "CSV with a header line.")
    var csv = false

    func validate() throws {
        guard openmetrics != csv else { throw ValidationError("choose one of --openmetrics and --csv") }
    }

    func run() throws {
        let write: (borrowing ByteWriter) -> Bool = { w in w.withUnsafeBytes { StandardOutput.write($0) } }
        do {
            if openmetrics {
                let outcome = try OpenMetricsExport.write(file, to: write)
                if outcome.seriesLeftOut > 0 {
                    StandardError.write("bptop: warning: \(outcome.seriesLeftOut) series left out: their names are not OpenMetrics 1.0 names\n")
                }
                if let problem = outcome.problem { StandardError.write("bptop: warning: \(problem)\n") }
            } else if let problem = try CSVExport.write(file, to: write) {
                StandardError.write("bptop: warning: \(problem)\n")
            }
        } catch {
            throw CommandFailure(error.message)
        }
    }
}
