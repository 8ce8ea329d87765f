#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization
import Telemetry

/// Scrapes every source once per interval, one after the other on one thread of its own (so a
/// source that hangs delays the others by up to its timeout), and hands each result to
/// `deliver`. A source that fails is retried with exponential backoff (up to 30 s) and the
/// thread sleeps in poll(2) in between, so waiting for a vanished agent costs no CPU.
public final class Collector: Sendable {
    /// One scrape's outcome.
    public struct Scrape: Sendable {
        public let sourceIndex: Int
        /// Wall-clock seconds when the scrape finished.
        public let time: Double
        public let result: Result<[UInt8], ScrapeError>
    }

    private let sources: [SourceSpec]
    private let intervalMillis: Atomic<Int>
    private let stopped = Atomic<Bool>(false)
    private let wakePipe: WakePipe
    private let deliver: @Sendable (Scrape) -> Void

    public init(sources: [SourceSpec], intervalMillis: Int, deliver: @escaping @Sendable (Scrape) -> Void) {
        self.sources = sources
        self.intervalMillis = Atomic(intervalMillis)
        self.deliver = deliver
        guard let wakePipe = WakePipe() else { preconditionFailure("bptop: out of file descriptors at start") }
        self.wakePipe = wakePipe
    }

    public var interval: Int { intervalMillis.load(ordering: .relaxed) }

    /// Changes the interval and scrapes at once with it.
    public func setInterval(millis: Int) {
        intervalMillis.store(millis, ordering: .relaxed)
        wake()
    }

    public func stop() {
        stopped.store(true, ordering: .relaxed)
        wake()
    }

    private func wake() {
        wakePipe.wake()
    }

    /// Starts the collecting thread.
    public func start() {
        DetachedThread.start { [self] in run() }
    }

    private func run() {
        var due = [UInt64](repeating: 0, count: sources.count)
        var failures = [Int](repeating: 0, count: sources.count)
        while !stopped.load(ordering: .relaxed) {
            let now = Clocks.monotonicMicros()
            for i in sources.indices where due[i] <= now {
                let result = Result { () throws(ScrapeError) in try sources[i].fetch(timeoutMillis: Int32(max(interval, 1000))) }
                if case .failure = result { failures[i] += 1 } else { failures[i] = 0 }
                deliver(Scrape(sourceIndex: i, time: Double(Clocks.wallMicros()) / 1e6, result: result))
                let backoff = failures[i] == 0 ? interval : min(interval << min(failures[i], 8), 30_000)
                due[i] = Clocks.monotonicMicros() + UInt64(backoff) * 1000
            }
            let next = due.min() ?? now
            let wait = next > Clocks.monotonicMicros() ? Int32((next - Clocks.monotonicMicros()) / 1000 + 1) : 0
            var p = pollfd(fd: wakePipe.readFD, events: Int16(POLLIN), revents: 0)
            if poll(&p, 1, wait) > 0 {
                wakePipe.drain()
                // An interval change reschedules everything to now.
                due = due.map { _ in 0 }
            }
        }
    }
}
