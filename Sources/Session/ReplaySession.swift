#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dashboard
import Recording
import Telemetry
import Terminal

/// `bptop replay FILE`: a recorded run in the live dashboard, moved through in recorded time.
/// The screen at a recorded frame is the one live drew then (same data, same time as now); the
/// last line says where the replay is instead of the key hints; the help overlay lists the
/// replay's keys. Keys: the live ones but the interval, plus space pause/resume, ←/→ a step of one scrape interval, `<`/`>` speed ×0.25…×64, `g`/`G`
/// start/end. With `follow`, a file still being written is read as it grows.
public final class ReplaySession {
    public struct Options: Sendable {
        public var path: String
        public var definition: DashboardDefinition
        public var follow: Bool
        public var colors: Bool
        public var forceASCII: Bool

        public init(path: String, definition: DashboardDefinition, follow: Bool, colors: Bool, forceASCII: Bool) {
            self.path = path
            self.definition = definition
            self.follow = follow
            self.colors = colors
            self.forceASCII = forceASCII
        }
    }

    private let options: Options
    private let replay: Replay
    /// Reads ahead to the newest record, for the length of the run shown on the position line.
    private let scanner: RecordingReader
    private var endTime: Double

    /// Opens the file, so one that cannot be read is a one-line error before the screen is taken.
    public init(options: Options) throws(RecordingError) {
        self.options = options
        replay = try Replay(path: options.path, capacity: UIState.windowSteps.last!)
        scanner = try RecordingReader(path: options.path)
        endTime = scanner.start.startTime
        scanAhead()
    }

    /// Speeds `<` and `>` step through.
    static let speeds: [Double] = [0.25, 0.5, 1, 2, 4, 8, 16, 32, 64]

    /// Runs until `q` or a signal; returns the file's problem line (cut short, damaged), if any
    /// (with `follow`, a file still being written is not cut short).
    public func run() -> String? {
        let problem = play()
        return options.follow && !replay.isDamaged ? nil : problem
    }

    private func play() -> String? {
        let terminal = CursesTerminal(colors: options.colors)
        defer { terminal.restore() }
        var painter = ScreenPainter(terminal: terminal, forceASCII: options.forceASCII)
        let quit = Mailbox()
        let signals = SignalWatch([SIGINT, SIGTERM, SIGHUP]) { quit.requestQuit() }
        defer { signals.cancel() }
        var ui = UIState()
        var context = KeyContext(rowKeys: [], columnTitles: [], intervalMillis: replay.start.intervalMillis)
        var speed = 1.0
        var paused = false
        var anchor = (wall: Self.wallNow(), position: replay.time)
        let step = Double(replay.start.intervalMillis) / 1000

        func redraw() {
            var model = ModelBuilder.build(definition: options.definition, store: replay.data.store, sources: replay.data.sources,
                                           ui: ui, now: replay.time, iperf3: replay.data.iperf3)
            model.keys = .replay
            model.status = positionLine(speed: speed, paused: paused) + "  " + (ui.status ?? Self.keyHints)
            painter.paint(model, context: &context)
        }

        /// Going back reopens the file: if that fails (the file was removed), the status line says so.
        func seek(_ target: Double) {
            do { try replay.seek(to: target) } catch { ui.status = error.message }
        }

        replay.forward(until: replay.start.startTime, atLeastOne: true)
        redraw()
        while !quit.quitRequested {
            var fds = [pollfd(fd: terminal.inputFD, events: Int16(POLLIN), revents: 0), pollfd(fd: quit.readFD, events: Int16(POLLIN), revents: 0)]
            let waiting = paused && !options.follow
            guard case .done = systemCall({ poll(&fds, 2, waiting ? -1 : 50) }) else { break }
            var changed = false
            let keys = terminal.readKeys()
            for key in keys {
                changed = true
                switch key {
                case .char(" "), .char("p"): paused.toggle()
                case .right: replay.forward(until: replay.time + step, atLeastOne: true)
                case .left: seek(replay.time - step)
                case .char("g"): seek(replay.start.startTime)
                case .char("G"): replay.forward(until: .infinity)
                case .char(">"): speed = Self.speeds.first { $0 > speed } ?? Self.speeds.last!
                case .char("<"): speed = Self.speeds.last { $0 < speed } ?? Self.speeds.first!
                case .char("+"), .char("-"): changed = false  // the recorded interval is what it was
                default:
                    switch ui.handle(key, context) {
                    case .quit: return replay.problem
                    case .none: changed = false
                    case .redraw, .setInterval: break
                    }
                }
                if key == .resize { painter.forget() }
            }
            // Playing goes on from where the keys left the replay, at the speed they chose.
            if !keys.isEmpty { anchor = (Self.wallNow(), replay.time) }
            if !paused {
                changed = replay.forward(until: anchor.position + (Self.wallNow() - anchor.wall) * speed) || changed
            }
            if options.follow, scanAhead() { changed = true }
            if changed { redraw() }
        }
        return replay.problem
    }

    static let keyHints = "space pause  ←/→ step  </> speed  g/G start/end  q quit"

    /// `12:04:31 · 37 s of 600 s · ×4` (and `· paused`, `· end`).
    private func positionLine(speed: Double, paused: Bool) -> String {
        let start = replay.start.startTime
        let speedText = speed < 1 ? "\(speed)" : "\(Int(speed))"
        var line = "\(ClockText.utcTimeOfDay(replay.time)) · \(Int(replay.time - start)) s of \(Int(max(endTime - start, 0))) s · ×\(speedText)"
        if paused { line += " · paused" } else if replay.atEnd { line += options.follow && !replay.isComplete ? " · following" : " · end" }
        return line
    }

    /// Reads what the file has gained; true when the run got longer.
    @discardableResult
    private func scanAhead() -> Bool {
        let before = endTime
        while let event = scanner.next() { endTime = max(endTime, event.time) }
        return endTime != before
    }

    private static func wallNow() -> Double { Double(Clocks.wallMicros()) / 1e6 }
}
