#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dashboard
import Feeds
import Recording
import Telemetry

/// `bptop record`: the live session's collecting without a terminal — for CI, or left beside a
/// VM. Scrapes and iperf3's output go to the recording batch by batch (each batch one append,
/// at the moments the live screen would be redrawn), until SIGINT/SIGTERM/SIGHUP, the
/// duration, or the end of the iperf3 child. Then iperf3 is asked for its summary, the agents
/// are scraped once more, and the file is closed.
public final class RecordSession {
    public struct Options: Sendable {
        public var sources: [SourceSpec]
        public var intervalMillis: Int
        public var iperf3: Iperf3Input?
        /// Stop after this long (nil: until a signal or the end of iperf3).
        public var durationMillis: Int?
        /// `--abort-on-fail`: stop at the first of these thresholds to fail for good.
        public var abortThresholds: [ThresholdExpression]

        public init(sources: [SourceSpec], intervalMillis: Int, iperf3: Iperf3Input?, durationMillis: Int?,
                    abortThresholds: [ThresholdExpression] = []) {
            self.sources = sources
            self.intervalMillis = intervalMillis
            self.iperf3 = iperf3
            self.durationMillis = durationMillis
            self.abortThresholds = abortThresholds
        }
    }

    private let options: Options
    private let writer: RecordingWriter
    private let tap: RecordingTap
    private let mailbox = Mailbox()
    private var reader: Iperf3Reader?

    public init(options: Options, writer: RecordingWriter) {
        self.options = options
        self.writer = writer
        tap = RecordingTap(writer: writer)
    }

    /// Starts iperf3 (for `-- iperf3 …`), so a command that cannot run is a one-line error.
    public func prepare() throws(SpawnError) {
        guard let input = options.iperf3 else { return }
        reader = try Iperf3Reader(input: input) { [mailbox] event in mailbox.post(event) }
    }

    /// How a recording ended.
    public struct Outcome: Sendable {
        /// iperf3's end-of-run summary (empty without iperf3).
        public var summary: String
        /// One line for standard error: what was recorded, where.
        public var note: String
        /// iperf3's exit status when it failed; 1 when the file could not be written; else 0.
        public var exitCode: Int32
        public var failure: String?
        /// The threshold whose crossing stopped the recording (`--abort-on-fail`).
        public var abortedBy: String?
    }

    public func run() -> Outcome {
        // Room for the slots of a batch, which the run builder reads after each (--abort-on-fail).
        var data = CollectedData(sources: options.sources, capacity: 8, iperf3: options.iperf3 != nil)
        let watching = options.abortThresholds.contains(where: \.failureIsFinal)
        var runBuilder = RunBuilder()
        var abortedBy: String?
        let collector = Collector(sources: options.sources, intervalMillis: options.intervalMillis) { [mailbox] scrape in
            mailbox.post(scrape)
        }
        let signals = SignalWatch([SIGINT, SIGTERM, SIGHUP]) { [mailbox] in mailbox.requestQuit() }
        defer { signals.cancel() }
        collector.start()
        reader?.start()
        let deadline = options.durationMillis.map { Clocks.monotonicMicros() + UInt64($0) * 1000 }
        while !mailbox.quitRequested, data.iperf3?.inputEnded != true, writer.failure == nil {
            let left = deadline.map { $0 > Clocks.monotonicMicros() ? Int32(($0 - Clocks.monotonicMicros()) / 1000 + 1) : 0 } ?? -1
            if left == 0 { break }
            var p = pollfd(fd: mailbox.readFD, events: Int16(POLLIN), revents: 0)
            _ = poll(&p, 1, left)
            let delivered = mailbox.take()
            guard !(delivered.scrapes.isEmpty && delivered.iperf3.isEmpty) else { continue }
            tap.take(delivered, into: &data) { !mailbox.quitRequested }
            tap.frame(at: Double(Clocks.wallMicros()) / 1e6)
            tap.flush()
            if watching && !delivered.scrapes.isEmpty {
                runBuilder.observe(data)
                if let crossing = ThresholdVerdict.firstFinalCrossing(options.abortThresholds, run: runBuilder.run(data, title: "")) {
                    abortedBy = crossing.expression.text
                    break
                }
            }
        }
        collector.stop()
        let interrupted = abortedBy != nil || (data.iperf3.map { !$0.inputEnded } ?? false)
        if interrupted, case .command = options.iperf3, let reader { mailbox.collectLastOutput(of: reader, into: &data, tap: tap) }
        reader?.stop()
        ScrapeRound.scrapeAll(options.sources, into: &data, timeoutMillis: 2000, tap: tap)
        tap.frame(at: Double(Clocks.wallMicros()) / 1e6)
        writer.finish(at: Double(Clocks.wallMicros()) / 1e6)
        let hundredths = writer.samplesRecorded > 0 ? Int((Double(writer.bytesWritten) * 100 / Double(writer.samplesRecorded)).rounded()) : 0
        let note = "recorded \(CountText.of(writer.samplesRecorded, "sample")) in \(writer.path) (\(writer.bytesWritten) bytes, "
            + "\(hundredths / 100).\(hundredths % 100 < 10 ? "0" : "")\(hundredths % 100) bytes per sample)"
        let (summary, status) = PrintedSummary.endOfRun(data, input: options.iperf3, withAgent: !options.sources.isEmpty, interrupted: interrupted)
        return Outcome(summary: summary, note: note, exitCode: writer.failure == nil ? status : 1, failure: writer.failure,
                       abortedBy: abortedBy)
    }
}
