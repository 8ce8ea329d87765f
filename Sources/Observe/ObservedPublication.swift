import Synchronization
import Telemetry

/// The observer's latest figures, handed to the metrics server: the observer replaces them
/// once per poll, and each scrape attaches them to the registry's snapshot.
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

    func publish(_ new: Figures) {
        figures.withLock { $0 = new }
    }
}
