import NIOCore
import Synchronization
import Telemetry

/// How a connection has moved: when it was accepted, whether it has completed a request, and
/// its last progress (accepted, a complete request received, response bytes taken by the
/// socket). Read when a slot must be freed.
final class ConnectionProgress: Sendable {
    let acceptedMicros = Clocks.monotonicMicros()
    private let lastMicros = Atomic<UInt64>(Clocks.monotonicMicros())
    private let served = Atomic<Bool>(false)

    func mark() { lastMicros.store(Clocks.monotonicMicros(), ordering: .relaxed) }
    func requestReceived() {
        served.store(true, ordering: .relaxed)
        mark()
    }

    var last: UInt64 { lastMicros.load(ordering: .relaxed) }
    var hasCompletedARequest: Bool { served.load(ordering: .relaxed) }
}

/// Caps the connections open at once, so a flood cannot use up the file descriptors the relay
/// in the same process needs — without letting the connections already open starve new ones.
///
/// When every slot is taken, a new connection wins and another is closed (and counted):
/// 1. a connection that has not completed a request within `grace` of being accepted (a client
///    sends its request at once; slowloris and silent clients do not), the oldest first;
/// 2. else, when half the slots hold connections that have not completed a request yet, the
///    oldest of those: a flood of new connections churns among itself, and a fresh scraper
///    survives 32 newer arrivals, many loop turns to have its request read;
/// 3. else the connection that has completed requests and has been idle or stalled the longest
///    (a keep-alive scraper between scrapes, a reader that stopped reading).
/// First come, first served let 64 idle sockets block every scrape; a per-peer limit cannot
/// help on a unix socket or loopback, where every client shares one address.
final class ConnectionSlots: Sendable {
    static let limit = 64
    static let graceMicros: UInt64 = 1_000_000

    private struct Slot {
        let channel: any Channel
        let progress: ConnectionProgress
    }

    private let slots = Mutex<[Slot]>([])
    private let statistics: ExporterStatistics

    init(statistics: ExporterStatistics) {
        self.statistics = statistics
    }

    /// Takes a slot for `channel` until it closes, closing another connection when none is
    /// free; returns the progress record the connection must keep.
    func admit(_ channel: any Channel) -> ConnectionProgress {
        let progress = ConnectionProgress()
        let evicted = slots.withLock { slots -> (any Channel)? in
            var evicted: (any Channel)?
            if slots.count >= Self.limit {
                evicted = slots.remove(at: Self.victim(slots.map(\.progress), now: Clocks.monotonicMicros())).channel
            }
            slots.append(Slot(channel: channel, progress: progress))
            return evicted
        }
        statistics.connectionOpened()
        if let evicted {
            statistics.closed(.evicted)
            evicted.close(promise: nil)
        }
        let id = ObjectIdentifier(channel)
        channel.closeFuture.whenComplete { [self] _ in
            slots.withLock { $0.removeAll { ObjectIdentifier($0.channel) == id } }
            statistics.connectionEnded()
        }
        return progress
    }

    /// The index of the connection to close, by the rules above.
    static func victim(_ connections: [ConnectionProgress], now: UInt64) -> Int {
        let waiting = connections.indices.filter { !connections[$0].hasCompletedARequest }
        let oldestWaiting = waiting.min { connections[$0].acceptedMicros < connections[$1].acceptedMicros }
        if let oldest = oldestWaiting, now - connections[oldest].acceptedMicros >= graceMicros { return oldest }
        if let oldest = oldestWaiting, waiting.count >= limit / 2 { return oldest }
        return connections.indices.filter { connections[$0].hasCompletedARequest }
            .min { connections[$0].last < connections[$1].last } ?? oldestWaiting!
    }
}
