#if canImport(Glibc)
import Glibc
import CSystemShims
#elseif canImport(Darwin)
import Darwin
#endif
import Dashboard
import Dispatch
import Feeds
import Telemetry

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

        public init(sources: [SourceSpec], definition: DashboardDefinition, intervalMillis: Int, colors: Bool, forceASCII: Bool) {
            self.sources = sources
            self.definition = definition
            self.intervalMillis = intervalMillis
            self.colors = colors
            self.forceASCII = forceASCII
        }
    }

    private let options: Options
    private let mailbox = Mailbox()

    public init(options: Options) {
        self.options = options
    }

    /// Runs until the user quits or a signal arrives; the terminal is restored on every path.
    public func run() {
        let terminal = CursesTerminal(colors: options.colors)
        defer { terminal.restore() }
        let symbols: SymbolSet = terminal.unicode && !options.forceASCII ? .unicode : .ascii
        let names = CollectedData.uniqueNames(options.sources.map(\.shortName))
        var data = CollectedData(names: names, capacity: UIState.windowSteps.last!)
        var ui = UIState()
        let renderer = ScreenRenderer()
        var shown: CellBuffer?
        var context = KeyContext(rowKeys: [], columnCount: 0, intervalMillis: options.intervalMillis)

        let collector = Collector(sources: options.sources, intervalMillis: options.intervalMillis) { [mailbox] scrape in
            mailbox.post(scrape)
        }
        collector.start()
        defer { collector.stop() }
        let signals = watchSignals()
        defer { signals.forEach { $0.cancel() } }

        func redraw() {
            let model = ModelBuilder.build(definition: options.definition, store: data.store, sources: data.sources,
                                           ui: ui, now: Double(Clocks.wallMicros()) / 1e6)
            context.rowKeys = []
            context.columnCount = 0
            for panel in model.panels {
                if case .table(let table) = panel.content, context.columnCount == 0 {
                    context.rowKeys = table.rows.map(\.key)
                    context.columnCount = table.columns.count
                }
            }
            let (width, height) = terminal.size
            let frame = renderer.render(model, width: width, height: height, symbols: symbols)
            terminal.draw(frame, previous: shown)
            shown = frame
        }

        redraw()
        while !mailbox.quitRequested {
            var fds = [pollfd(fd: 0, events: Int16(POLLIN), revents: 0), pollfd(fd: mailbox.readFD, events: Int16(POLLIN), revents: 0)]
            let n = poll(&fds, 2, -1)
            if n < 0 && errno != EINTR { break }
            var changed = false
            if fds[1].revents != 0 || n < 0 {
                let scrapes = mailbox.take()
                for s in scrapes {
                    switch s.result {
                    case .success(let body): data.ingest(source: s.sourceIndex, body: body, at: s.time)
                    case .failure: data.recordFailure(source: s.sourceIndex, at: s.time)
                    }
                }
                changed = !scrapes.isEmpty && !ui.paused
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
                if key == .resize { shown = nil }
            }
            if changed {
                redraw()
                #if canImport(Glibc)
                // A frame allocates and frees megabytes of query results; hand the freed pages
                // back so a bptop left running for days stays small.
                malloc_trim(0)
                #endif
            }
        }
    }

    /// SIGINT and SIGTERM end the loop (the terminal is restored by `run`'s defer).
    private func watchSignals() -> [any DispatchSourceSignal] {
        return [SIGINT, SIGTERM, SIGHUP].map { sig in
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler { [mailbox] in mailbox.requestQuit() }
            source.resume()
            return source
        }
    }
}
