import Logging
import Telemetry

/// Writes one direction's datagrams, one at a time and whole, under the retry policy: the
/// part the frame relay (`DatagramPump`) and the UDP relay (`UDPDirection`) share.
///
/// Every datagram handed to `start` ends as exactly one successful write or one counted drop
/// (`policy`, `retry_budget`, or `send_error` for another failure), so per direction datagrams
/// received = writes + drops. Under `wait` a blocked datagram stays pending (its owner keeps
/// its bytes and reads nothing more from the source) until `attempt` gets it through, on the
/// destination's POLLOUT or after `retryDelayMicros`, whichever comes first.
struct DatagramSender {
    private var retrier: WriteRetrier
    /// The waiting datagram's counters (nil when none waits) and length. Unretained: a
    /// datagram that goes through at once costs no retain and release; one that blocks keeps
    /// its counters alive in `held` (its flow may be retired while it waits).
    private var pending: Unmanaged<DirectionCounters>?
    private var held: DirectionCounters?
    private(set) var pendingLength = 0
    private var showsQueued = false
    /// When a blocked datagram is tried again even without a writable event (`wait` only).
    private(set) var retryAtMicros: UInt64 = 0

    init(policy: RetryPolicy, injection: FaultInjection?, stop: StopSignal?) {
        retrier = WriteRetrier(policy: policy, injection: injection, stop: stop)
    }

    /// A datagram is waiting for its destination.
    var isBlocked: Bool { pending != nil }

    /// Makes a datagram of `length` bytes, already counted as received under `counters`, the
    /// one to send; `attempt` then writes it. `counters` must stay alive until that first
    /// `attempt` returns.
    mutating func start(_ counters: Unmanaged<DirectionCounters>, length: Int) {
        pending = counters
        pendingLength = length
    }

    /// Writes the pending datagram with `transmit` (which returns what send(2) returned);
    /// false while it is still blocked. `failed` hears of a failure other than a full buffer,
    /// after the datagram was counted as a `send_error` drop.
    /// `trigger` says what made this try (the destination's writable event or the retry timer),
    /// for the `wait` recoveries count.
    mutating func attempt(label: @autoclosure () -> String, logger: Logger, nowMicros: UInt64, retryDelayMicros: UInt64,
                          trigger: WaitRecovery = .event, transmit: () -> Int, failed: (Int32) -> Void) -> Bool {
        guard let pending else { return true }
        return pending._withUnsafeGuaranteedRef { counters in
            switch retrier.write(counters: counters, label: label(), logger: logger, trigger: trigger, transmit) {
            case .sent:
                break
            case .blocked:
                if !showsQueued { counters.setQueued(bytes: pendingLength) }
                showsQueued = true
                if held == nil { held = counters }
                retryAtMicros = nowMicros &+ retryDelayMicros
                return false
            case .dropped(let reason):
                counters.recordDrop(reason, bytes: pendingLength)
            case .failed(let code):
                counters.recordDrop(.sendError, bytes: pendingLength)
                failed(code)
            }
            finish(counters)
            return true
        }
    }

    /// How many datagrams may be sent next without this sender (a batch sent by its owner):
    /// none while one waits or an injected failure is due.
    var sendsBeforeInjection: Int { pending == nil ? retrier.sendsBeforeInjection : 0 }

    /// The owner sent `count` datagrams itself, each counted as written.
    mutating func countBatchedSends(_ count: Int) { retrier.countBatchedSends(count) }

    /// The owner is stopping: a waiting datagram is given up and counted as a `send_error`
    /// drop, so the books balance.
    mutating func abandon(label: String, logger: Logger) {
        guard let counters = pending?.takeUnretainedValue() else { return }
        retrier.abandon(counters: counters, label: label, logger: logger)
        counters.recordDrop(.sendError, bytes: pendingLength)
        finish(counters)
    }

    private mutating func finish(_ counters: DirectionCounters) {
        if showsQueued { counters.setQueued(bytes: 0) }
        showsQueued = false
        pending = nil
        held = nil
    }
}
