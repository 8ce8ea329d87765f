import Logging

/// Warnings about a condition that repeats per packet (a peer gone, a socket error), logged at
/// most once a second so a broken peer cannot flood the log or slow the loop down.
final class ThrottledWarnings {
    let logger: Logger
    private var lastMicros: UInt64?

    init(logger: Logger) {
        self.logger = logger
    }

    /// Logs `message` unless a warning went out less than a second before `nowMicros`.
    func warn(nowMicros: UInt64, _ message: () -> String) {
        if let lastMicros, nowMicros &- lastMicros < 1_000_000 { return }
        lastMicros = nowMicros
        logger.warning("\(message())")
    }
}
