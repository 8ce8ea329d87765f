import Synchronization

/// "Stop soon", set from any thread (a signal handler's queue) and read by a relay's loop —
/// and by its retry loops, so a `spin` or an unbounded `sleep` on a peer that never drains
/// does not make the agent deaf to SIGINT/SIGTERM.
final class StopSignal: Sendable {
    private let flag = Atomic<Bool>(false)

    func request() { flag.store(true, ordering: .relaxed) }

    var isRequested: Bool { flag.load(ordering: .relaxed) }
}
