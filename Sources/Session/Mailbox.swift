#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dashboard
import Feeds
import Synchronization
import Telemetry

/// How other threads (the collector, the iperf3 reader, signal handlers) hand work to the UI
/// loop: locked lists plus a pipe the loop polls, so the loop sleeps until something arrives.
final class Mailbox: Sendable {
    /// iperf3 output with the wall time it arrived.
    struct Iperf3Delivery: Sendable {
        let event: Iperf3Reader.Event
        let time: Double
    }

    private let scrapes = Mutex<[Collector.Scrape]>([])
    private let iperf3 = Mutex<[Iperf3Delivery]>([])
    private let quit = Atomic<Bool>(false)
    private let pipe: WakePipe
    var readFD: Int32 { pipe.readFD }

    init() {
        guard let pipe = WakePipe() else { preconditionFailure("bptop: out of file descriptors at start") }
        self.pipe = pipe
    }

    /// Keeps only the newest unprocessed scrape of each source: a screen that falls behind a
    /// huge or fast source skips to the newest figures instead of queueing bodies without bound
    /// (a slot is then missing, drawn as a gap, which is what happened).
    func post(_ scrape: Collector.Scrape) {
        scrapes.withLock { queued in
            if let i = queued.firstIndex(where: { $0.sourceIndex == scrape.sourceIndex }) {
                queued[i] = scrape
            } else {
                queued.append(scrape)
            }
        }
        ring()
    }

    func post(_ event: Iperf3Reader.Event) {
        iperf3.withLock { $0.append(Iperf3Delivery(event: event, time: Double(Clocks.wallMicros()) / 1e6)) }
        ring()
    }

    func requestQuit() {
        quit.store(true, ordering: .relaxed)
        ring()
    }

    var quitRequested: Bool { quit.load(ordering: .relaxed) }

    /// Everything posted since the last call.
    func take() -> (scrapes: [Collector.Scrape], iperf3: [Iperf3Delivery]) {
        pipe.drain()
        return (Self.takeAll(scrapes), Self.takeAll(iperf3))
    }

    private static func takeAll<T>(_ list: borrowing Mutex<[T]>) -> [T] {
        list.withLock { items in
            defer { items.removeAll() }
            return items
        }
    }

    /// Asks iperf3 to stop and takes what it prints on the way out (its summary) into `data`,
    /// for up to three seconds.
    func collectLastOutput(of reader: Iperf3Reader, into data: inout CollectedData, tap: RecordingTap) {
        reader.interrupt()
        let deadline = Clocks.monotonicMicros() + 3_000_000
        while data.iperf3?.inputEnded == false, Clocks.monotonicMicros() < deadline {
            var p = pollfd(fd: readFD, events: Int16(POLLIN), revents: 0)
            _ = poll(&p, 1, 100)
            for delivery in take().iperf3 { tap.iperf3(&data, delivery) }
        }
    }

    private func ring() {
        pipe.wake()
    }
}
