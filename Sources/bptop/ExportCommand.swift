import ArgumentParser
import Recording
import Session
import Telemetry

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a recording as OpenMetrics text (for promtool backfill), CSV, or iperf3's own output, on standard output.",
        discussion: """
            --openmetrics: every recorded sample with its scrape time (and iperf3's intervals as iperf3_bytes_total, \
            iperf3_retransmits_total), each with the instance label of its source; promtool tsdb \
            create-blocks-from openmetrics reads it. --csv: one row per scrape per stream and direction, in base units. \
            --iperf3: iperf3's output as it printed it (for bptop report --iperf3 -, jq).
            """)

    @Argument(help: ArgumentHelp("The recording.", valueName: "file"))
    var file: String

    @Flag(help: "OpenMetrics text with timestamps.")
    var openmetrics = false

    @Flag(help: "CSV with a header line.")
    var csv = false

    @Flag(help: "iperf3's output, byte for byte.")
    var iperf3 = false

    func validate() throws {
        guard [openmetrics, csv, iperf3].filter({ $0 }).count == 1 else {
            throw ValidationError("choose one of --openmetrics, --csv and --iperf3")
        }
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
            } else if let problem = try csv ? CSVExport.write(file, to: write) : Iperf3OutputExport.write(file, to: write) {
                StandardError.write("bptop: warning: \(problem)\n")
            }
        } catch {
            throw CommandFailure(error.message)
        }
    }
}
