#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Feeds
import Synchronization

/// How other threads (the collector, signal handlers) hand work to the UI loop: a locked
/// list plus a pipe the loop polls, so the loop sleeps until something arrives.
final class Mailbox: Sendable {
    private let scrapes = Mutex<[Collector.Scrape]>([])
    private let quit = Atomic<Bool>(false)
    let readFD: Int32
    private let writeFD: Int32

    init() {
        var fds: [Int32] = [0, 0]
        precondition(pipe(&fds) == 0, "pipe")
        readFD = fds[0]
        writeFD = fds[1]
        _ = fcntl(readFD, F_SETFL, fcntl(readFD, F_GETFL) | O_NONBLOCK)
        _ = fcntl(writeFD, F_SETFL, fcntl(writeFD, F_GETFL) | O_NONBLOCK)
    }

    deinit {
        close(readFD)
        close(writeFD)
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
        var buf = [UInt8](repeating: 0, count: 256)
        while read(readFD, &buf, buf.count) > 0 {}
        return scrapes.withLock { list in
            defer { list.removeAll() }
            return list
        }
    }

    private func ring() {
        var b: UInt8 = 1
        _ = write(writeFD, &b, 1)
    }
}
