import Foundation

/// A relay's `run()` on a thread of its own, for the tests that drive it over real sockets.
final class RelayThread: Sendable {
    private let done = DispatchSemaphore(value: 0)
    private let requestStop: @Sendable () -> Void

    init(run: @escaping @Sendable () -> Void, stop: @escaping @Sendable () -> Void) {
        requestStop = stop
        let done = done
        Thread { run(); done.signal() }.start()
    }

    /// Asks the relay to stop and waits; false when it did not stop within 10 s.
    func stop() -> Bool {
        requestStop()
        return done.wait(timeout: .now() + 10) == .success
    }
}
