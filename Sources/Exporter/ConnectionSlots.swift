import NIOCore
import Synchronization
import Telemetry

/// How recently a connection moved: accepted, a complete request received, or response
/// bytes taken by the socket. Read when a slot must be freed.
final class ConnectionProgress: Sendable {
    private let lastMicros = Atomic<UInt64>(Clocks.monotonicMicros())

    func mark() { lastMicros.store(Clocks.monotonicMicros(), ordering: .relaxed) }
    var last: UInt64 { lastMicros.load(ordering: .relaxed) }
}

/// Caps the connections open at once, so a flood cannot use up the file descriptors the relay
/// in the same process needs — without letting the connections already open starve new ones.
///
/// When every slot is taken, a new connection wins: the connection that has gone longest
/// without progress is closed to make room (and counted). Silent or idle keep-alive
/// connections, slowloris clients dribbling a request, and readers that stopped reading all
/// stop progressing, so they go first; a scraper's fresh connection is the newest and reads
/// its request within a loop turn. First come, first served let 64 idle sockets block every
/// scrape; a per-peer limit cannot help on a unix socket or loopback, where every client
/// shares one address.
final class ConnectionSlots: Sendable {
    static let limit = 64

    private struct Slot {
        let channel: any Channel
        let progress: ConnectionProgress
    }

    private let slots = Mutex<[Slot]>([])
    private let statistics: ExporterStatistics

    init(statistics: ExporterStatistics) {
        self.statistics = statistics
    }

    /// Takes a slot for `channel` until it closes, closing the least recently progressing
    /// connection when none is free; returns the progress record the connection must keep.
    func admit(_ channel: any Channel) -> ConnectionProgress {
        let progress = ConnectionProgress()
        let evicted = slots.withLock { slots -> (any Channel)? in
            var evicted: (any Channel)?
            if slots.count >= Self.limit, let stalest = slots.indices.min(by: { slots[$0].progress.last < slots[$1].progress.last }) {
                evicted = slots.remove(at: stalest).channel
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
}
