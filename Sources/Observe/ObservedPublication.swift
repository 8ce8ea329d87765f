import Synchronization
import Telemetry

/// The observer's latest figures, handed to the metrics server: each poll applies what
/// changed, and each scrape attaches the figures to the registry's snapshot.
public final class ObservedPublication: Sendable {
    struct Figures: Sendable {
        /// Stream id → the kernel's figures for its socket (the last ones, once it is gone).
        var sockets: [UInt64: ObservedSnapshot] = [:]
        var observer = ObserverSnapshot(processes: [], polls: 0, pollMicros: 0)
    }

    private let figures = Mutex(Figures())

    public init() {}

    /// Attaches the figures to the streams of `snapshot` (a scrape).
    public func annotate(_ snapshot: inout MetricsSnapshot) {
        let current = figures.withLock { $0 }
        for i in snapshot.streams.indices {
            snapshot.streams[i].observed = current.sockets[snapshot.streams[i].identity.id]
        }
        snapshot.observer = current.observer
    }

    /// One poll's changes, written into the published table in place: the table is copied
    /// only when a scrape still holds it, not once per poll.
    func publish(changed: [(id: UInt64, observed: ObservedSnapshot)], removed: [UInt64], observer: ObserverSnapshot) {
        figures.withLock { f in
            for c in changed { f.sockets[c.id] = c.observed }
            for id in removed { f.sockets[id] = nil }
            f.observer = observer
        }
    }
}
