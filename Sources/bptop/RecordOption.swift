import ArgumentParser
import Feeds
import Recording
import Session

/// `--record FILE` on the screens that collect (live, `demo`): everything shown also goes to a
/// recording, for `bptop replay` and `bptop export`.
struct RecordOption: ParsableArguments {
    @Option(help: ArgumentHelp("Also record the run to this file (bptop replay/export read it).", valueName: "file"))
    var record: String?

    /// The writer for `--record`, its start record written; nil without the option.
    func writer(sources: [SourceSpec], intervalMillis: Int, iperf3: Iperf3Input?, dashboard: String) throws -> RecordingWriter? {
        guard let record else { return nil }
        return try openRecording(record, sources: sources, intervalMillis: intervalMillis, iperf3: iperf3, dashboard: dashboard)
    }
}

/// Creates the recording `path`; a file that cannot be created is a one-line error (exit 1).
func openRecording(_ path: String, sources: [SourceSpec], intervalMillis: Int, iperf3: Iperf3Input?, dashboard: String) throws -> RecordingWriter {
    do {
        return try RecordingWriter(path: path, start: RecordingStart(sources: sources, intervalMillis: intervalMillis,
                                                                     iperf3: iperf3, dashboard: dashboard))
    } catch {
        throw CommandFailure(error.message)
    }
}
