import Feeds
import Telemetry

/// The iperf3 run bptop shows: its output parsed so far, and how reading it ended.
public struct Iperf3Feed: Sendable {
    /// The store source its intervals go to (`iperf3`, numbered if a scrape source has that name).
    public let sourceName: String
    private var parser = Iperf3Parser()
    private var timeline = Iperf3Timeline()
    /// The input closed (the child exited, the pipe ended).
    public private(set) var inputEnded = false
    /// How the child ended, for `bptop -- iperf3 …`.
    public private(set) var exitStatus: ExitStatus?
    /// Why there is nothing to show yet, or why reading stopped.
    public private(set) var problem: String?
    /// Wall-clock time the output began (its first bytes, again after a truncation): when the
    /// run started, for output that does not print its start time.
    public private(set) var startedAt: Double?

    public init(sourceName: String) {
        self.sourceName = sourceName
    }

    public var report: Iperf3Report { parser.report }

    /// The test on screen: the newest one that measured something, else the newest.
    public var currentTest: Iperf3Test? {
        report.tests.last { !$0.intervals.isEmpty || !$0.summary.isEmpty || $0.error != nil } ?? report.tests.last
    }

    /// The run on screen is over: iperf3 printed its summary, its end or an error, or its
    /// output closed. (A server prints no "iperf Done.": its summary ends a test.)
    public var runEnded: Bool {
        inputEnded || (currentTest.map { $0.finished || $0.error != nil || !$0.summary.isEmpty } ?? false)
    }

    /// Applies one reader event; returns the store slots it completed.
    mutating func apply(_ event: Iperf3Reader.Event, now: Double) -> [(ParsedExposition, Double)] {
        switch event {
        case .bytes(let bytes):
            problem = nil
            if startedAt == nil { startedAt = now }
            parser.feed(bytes)
        case .truncated:
            // A new output starts: end a half-written last line so it is not glued to the next.
            parser.feed([0x0A])
            startedAt = nil
        case .waitingForFile:
            problem = "waiting for the iperf3 log to appear"
        case .ended(let status):
            inputEnded = true
            exitStatus = status
            parser.finish()
        case .failed(let message):
            inputEnded = true
            problem = message
            parser.finish()
        }
        let slots = timeline.advance(parser.report, now: now)
        timeline.forget(parser.keepNewestTests(Self.testsKept))
        return slots
    }

    /// Tests kept in memory: the one on screen, the one before it, and one starting.
    static let testsKept = 3
}
