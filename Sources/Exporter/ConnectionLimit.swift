import NIOCore
import Synchronization

/// Caps the connections open at once, so a flood of idle clients cannot use up file
/// descriptors the relay in the same process needs. Scrapers are few: bptop, Prometheus,
/// a script or two.
final class ConnectionLimit: Sendable {
    static let limit = 64

    struct Reached: Error, CustomStringConvertible {
        var description: String { "metrics connection refused: \(ConnectionLimit.limit) already open" }
    }

    private let open = Atomic<Int>(0)

    /// Holds a slot for `channel` until it closes, or throws when every slot is taken.
    func admit(_ channel: any Channel) throws(Reached) {
        guard open.wrappingAdd(1, ordering: .relaxed).newValue <= Self.limit else {
            open.wrappingSubtract(1, ordering: .relaxed)
            throw Reached()
        }
        channel.closeFuture.whenComplete { _ in self.open.wrappingSubtract(1, ordering: .relaxed) }
    }
}
