import Feeds
import Synchronization
import Telemetry

/// How other threads (the collector, signal handlers) hand work to the UI loop: a locked
/// list plus a pipe the loop polls, so the loop sleeps until something arrives.
final class Mailbox: Sendable {
    private let scrapes = Mutex<[Collector.Scrape]>([])
    private let quit = Atomic<Bool>(false)
    private let pipe: WakePipe
    var readFD: Int32 { pipe.readFD }

    init() {
        guard let pipe = WakePipe() else { preconditionFailure("bptop: out of file descriptors at start") }
        self.pipe = pipe
    }

    func post(_ scrape: Collector.Scrape) {
        scrapes.withLock { $0.append(scrape) }
        ring()
    }

    func requestQuit() {
        quit.store(true, ordering: .relaxed)
        ring()
    }

    var quitRequested: Bool { quit.load(ordering: .relaxed) }

    /// Everything posted since the last call.
    func take() -> [Collector.Scrape] {
        pipe.drain()
        return scrapes.withLock { list in
            defer { list.removeAll() }
            return list
        }
    }

    private func ring() {
        pipe.wake()
    }
}
