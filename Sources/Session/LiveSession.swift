#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dashboard
import Dispatch
import Feeds
import Recording
import Telemetry
import Terminal

/// The interactive dashboard: scrapes arrive from the collector thread, keys from the
/// terminal, and the screen is recomputed and redrawn only when one of them happens. In
/// between the loop sleeps in poll(2), so an idle bptop costs no CPU.
public final class LiveSession {
    public struct Options: Sendable {
        public var sources: [SourceSpec]
        public var definition: DashboardDefinition
        public var intervalMillis: Int
        public var colors: Bool
        public var forceASCII: Bool
        /// An iperf3 run to show beside the scrapes.
        public var iperf3: Iperf3Input?
        /// Checked when the session ends (`--threshold`, and the dashboard's `thresholds`).
        public var thresholds: [ThresholdExpression] = []
        /// Quit at the first threshold crossing that cannot be undone (`--abort-on-fail`).
        public var abortOnFail = false
        /// Return the whole session as a run (`--plot`).
        public var keepsRun = false

        public init(sources: [SourceSpec], definition: DashboardDefinition, intervalMillis: Int, colors: Bool,
                    forceASCII: Bool, iperf3: Iperf3Input? = nil) {
            self.sources = sources
            self.thresholds = definition.thresholds
            self.iperf3 = iperf3
            self.definition = definition
            self.intervalMillis = intervalMillis
            self.colors = colors
            self.forceASCII = forceASCII
        }
    }

    private let options: Options
    private let mailbox = Mailbox()
    private let tap: RecordingTap

    /// With `recorder` (`--record FILE`), everything the screen takes in is also recorded, and
    /// the file is closed when the session ends.
    public init(options: Options, recorder: RecordingWriter? = nil) {
        self.options = options
        tap = RecordingTap(writer: recorder)
    }

    /// How a session ended: what to print once the terminal is back, and the exit status.
    public struct Outcome: Sendable {
        /// iperf3's end-of-run summary (empty without iperf3), for the scrollback.
        public var summary: String
        /// iperf3's exit status when it failed, else 99 when a threshold failed, else 0.
        public var exitCode: Int32
        /// The session as a run, with `keepsRun` or thresholds.
        public var run: MeasuredRun?
    }

    /// Turns the scrapes into the run the thresholds check.
    private var runBuilder = RunBuilder()
    /// The threshold whose crossing stopped the session (`--abort-on-fail`).
    private var abortedBy: ThresholdVerdict?

    /// Starts iperf3 (for `bptop -- iperf3 …`) before the terminal is taken over, so a command
    /// that cannot run is a one-line error.
    public func prepare() throws(SpawnError) {
        guard let input = options.iperf3 else { return }
        reader = try Iperf3Reader(input: input) { [mailbox] event in mailbox.post(event) }
    }

    private var reader: Iperf3Reader?

    /// Runs until the user quits or a signal arrives; the terminal is restored on every path.
    public func run() -> Outcome {
        var data = CollectedData(sources: options.sources, capacity: UIState.windowSteps.last!, iperf3: options.iperf3 != nil)
        fillFromServers(&data)
        interact(&data)
        let interrupted = data.iperf3.map { !$0.inputEnded } ?? false
        if interrupted { collectLastOutput(&data) }
        reader?.stop()
        // One more scrape, so the printed summary (the recording, the measured run) has the
        // agent's final figures rather than those of up to one interval ago.
        if data.iperf3 != nil || tap.writer != nil || measuresRun {
            ScrapeRound.scrapeAll(options.sources, into: &data, timeoutMillis: 2000, tap: tap)
        }
        tap.writer?.finish(at: Double(Clocks.wallMicros()) / 1e6)
        let end = PrintedSummary.endOfRun(data, input: options.iperf3, withAgent: !options.sources.isEmpty, interrupted: interrupted)
        let run = finishedRun(&data)
        let gate = gateLines(run)
        // A child stopped because the user quit (or a threshold stopped the run) did not fail on its own.
        return Outcome(summary: end.summary + gate.text,
                       exitCode: end.status != 0 ? end.status : (gate.failed ? GateReport.failedExitCode : 0), run: run)
    }

    /// Thresholds or `--plot` need the session as a run.
    private var measuresRun: Bool { options.keepsRun || !options.thresholds.isEmpty }

    /// The whole session as a run, after its last scrape.
    private func finishedRun(_ data: inout CollectedData) -> MeasuredRun? {
        guard measuresRun else { return nil }
        runBuilder.observe(data)
        return runBuilder.run(data, title: runTitle)
    }

    /// The ✓/✗ lines of the thresholds over the whole session (empty without thresholds).
    private func gateLines(_ run: MeasuredRun?) -> (text: String, failed: Bool) {
        guard let run, !options.thresholds.isEmpty else { return ("", false) }
        let verdicts = options.thresholds.map { ThresholdVerdict($0, run: run) }
        var lines = GateReport.lines(verdicts)
        if let abortedBy { lines.insert("stopped at the first crossing: \(abortedBy.expression.text) (--abort-on-fail)", at: 0) }
        return (lines.joined(separator: "\n") + "\n", verdicts.contains { !$0.passed })
    }

    private var runTitle: String {
        options.iperf3?.name ?? options.sources.map(\.text).joined(separator: ", ")
    }

    /// With `--abort-on-fail`: the first threshold that failed for good, if one has.
    private func finalCrossing(_ data: CollectedData) -> ThresholdVerdict? {
        guard options.abortOnFail, options.thresholds.contains(where: \.failureIsFinal) else { return nil }
        return ThresholdVerdict.firstFinalCrossing(options.thresholds, run: runBuilder.run(data, title: runTitle))
    }

    /// A Prometheus source has the agents' past: the chart starts with the whole window (the
    /// largest the `[`/`]` keys reach) instead of filling as bptop runs. A server that does not
    /// answer here is reported by the live scrapes that follow.
    private func fillFromServers(_ data: inout CollectedData) {
        let now = Double(Clocks.wallMicros()) / 1e6
        for (i, source) in options.sources.enumerated() where source.federates {
            guard let slots = try? PrometheusHistory.window(of: source, count: UIState.windowSteps.last!,
                                                            intervalSeconds: Double(options.intervalMillis) / 1000, now: now)
            else { continue }
            for slot in slots { tap.scrape(&data, source: i, body: slot.body, at: slot.time) }
        }
    }

    /// The user quit while iperf3 runs: ask it to stop and read what it prints on the way out
    /// (its summary), for up to three seconds.
    private func collectLastOutput(_ data: inout CollectedData) {
        guard case .command = options.iperf3, let reader else { return }
        mailbox.collectLastOutput(of: reader, into: &data, tap: tap)
    }

    private func interact(_ data: inout CollectedData) {
        let terminal = CursesTerminal(colors: options.colors)
        defer { terminal.restore() }
        var painter = ScreenPainter(terminal: terminal, forceASCII: options.forceASCII)
        var ui = UIState()
        var context = KeyContext(rowKeys: [], columnTitles: [], intervalMillis: options.intervalMillis)

        let collector = Collector(sources: options.sources, intervalMillis: options.intervalMillis) { [mailbox] scrape in
            mailbox.post(scrape)
        }
        collector.start()
        defer { collector.stop() }
        reader?.start()
        let signals = SignalWatch([SIGINT, SIGTERM, SIGHUP]) { [mailbox] in mailbox.requestQuit() }
        defer { signals.cancel() }

        func redraw() {
            let now = Double(Clocks.wallMicros()) / 1e6
            tap.frame(at: now)
            let model = ModelBuilder.build(definition: options.definition, store: data.store, sources: data.sources,
                                           ui: ui, now: now, iperf3: data.iperf3)
            painter.paint(model, context: &context)
        }

        redraw()
        while !mailbox.quitRequested {
            var fds = [pollfd(fd: terminal.inputFD, events: Int16(POLLIN), revents: 0), pollfd(fd: mailbox.readFD, events: Int16(POLLIN), revents: 0)]
            // A signal (SIGWINCH, a quit) ends the wait early; systemCall polls again.
            guard case .done = systemCall({ poll(&fds, 2, -1) }) else { break }
            var changed = false
            if fds[1].revents != 0 {
                let delivered = mailbox.take()
                // Quit is checked between scrapes: ingesting a huge one must not delay q or SIGTERM.
                tap.take(delivered, into: &data) { !mailbox.quitRequested }
                changed = !(delivered.scrapes.isEmpty && delivered.iperf3.isEmpty) && !ui.paused
                if measuresRun && !delivered.scrapes.isEmpty {
                    runBuilder.observe(data)
                    if let crossing = finalCrossing(data) {
                        abortedBy = crossing
                        return
                    }
                }
            }
            // Keys are read on every wake-up: a resize (SIGWINCH) interrupts poll and shows up as a key.
            for key in terminal.readKeys() {
                switch ui.handle(key, context) {
                case .quit: return
                case .none: break
                case .redraw: changed = true
                case .setInterval(let millis):
                    collector.setInterval(millis: millis)
                    context.intervalMillis = millis
                    changed = true
                }
                if key == .resize { painter.forget() }
            }
            if changed {
                redraw()
                HeapPolicy.returnFreedMemory(beyond: 4 << 20)
            }
            // What this wake-up recorded reaches the file now, also while the display is paused.
            tap.flush()
        }
    }
}
