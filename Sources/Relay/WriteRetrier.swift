#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Logging
import Telemetry

/// The retry policy applied to one direction's writes, and its buffer-full episodes.
///
/// Shared by the byte-stream pump (`DirectionPump`) and the frame pump (`DatagramPump`) so a
/// buffer-full event is counted the same way whatever moves the data: one event per blocked
/// write, one retry per re-attempt, the stall from the first failure to the end, and the time
/// the policy held the writer (`RetryHow`). Counters are passed per call because a datagram
/// direction counts each frame under its own flow.
struct WriteRetrier {
    enum Outcome {
        /// The write went through with this many bytes.
        case sent(Int)
        /// `wait`: go back to the event loop and call `write` again later with the same data.
        case blocked
        /// The policy gave the data up (the caller counts its bytes with `recordDrop`).
        case dropped(DropReason)
        /// Another error: the caller decides (a byte stream resets, a datagram is dropped).
        case failed(Int32)
    }

    /// A buffer-full event in progress: from the first failed attempt until a write succeeds.
    private struct Episode {
        let startMicros: UInt64
        let cause: BufferFullCause
        var lastCause: BufferFullCause
        var retries: UInt64 = 0
        /// `wait` only: time spent inside retry attempts made from the event loop.
        var attemptMicros: UInt64 = 0
    }

    let policy: RetryPolicy
    private var sendPath: SendPath
    private var episode: Episode?
    /// What the writer was doing while held, for `recordRetryTime`; nil for `drop` (never held).
    private let how: RetryHow?
    /// Set when the agent is stopping: a spinning or sleeping write then returns `.blocked`
    /// (its episode stays open for the owner to abandon) instead of retrying for ever.
    private let stop: StopSignal?

    init(policy: RetryPolicy, injection: FaultInjection?, stop: StopSignal? = nil) {
        self.policy = policy
        self.sendPath = SendPath(injection: injection)
        self.stop = stop
        switch policy {
        case .wait: how = .wait
        case .spin: how = .spin
        case .sleep: how = .sleep
        case .drop: how = nil
        }
    }

    /// Whether a write is blocked (a `wait` episode is open).
    var isBlocked: Bool { episode != nil }

    /// Attempts one write with `send` (which returns what the system call returned), applying
    /// the policy to buffer-full failures, and counts the outcome into `counters`: successful
    /// writes, events, retries, stalls and held time. Drops are counted by the caller, who
    /// knows their bytes. `trigger` is why a blocked `wait` write is tried again now; a retry
    /// that goes through counts its episode as recovered that way.
    mutating func write(counters: DirectionCounters, label: @autoclosure () -> String, logger: Logger,
                        trigger: WaitRecovery = .event, _ send: () -> Int) -> Outcome {
        while true {
            let isRetry = episode != nil
            var attemptStart: UInt64 = 0
            if let e = episode {
                counters.recordRetry(after: e.lastCause)
                episode!.retries += 1
                if how == .wait { attemptStart = Clocks.monotonicMicros() }
            }
            let result = sendPath.attempt(isRetry: isRetry, send)
            if attemptStart != 0 { episode!.attemptMicros &+= Clocks.monotonicMicros() &- attemptStart }
            switch result {
            case .sent(let n):
                counters.recordWrite(bytes: n)
                if isRetry && policy == .wait { counters.recordWaitRecovery(trigger) }
                endEpisode(counters, label(), logger, outcome: "written")
                return .sent(n)
            case .full(let cause):
                if episode == nil {
                    episode = Episode(startMicros: Clocks.monotonicMicros(), cause: cause, lastCause: cause)
                    counters.recordBufferFull(cause)
                } else {
                    episode!.lastCause = cause
                }
                switch policy {
                case .wait:
                    return .blocked
                case .spin:
                    if stop?.isRequested == true { return .blocked }
                case .sleep(let micros, let maxRetries):
                    if let maxRetries, episode!.retries >= UInt64(maxRetries) {
                        endEpisode(counters, label(), logger, outcome: "dropped (retry_budget)")
                        return .dropped(.retryBudget)
                    }
                    if stop?.isRequested == true { return .blocked }
                    usleep(micros)
                case .drop:
                    endEpisode(counters, label(), logger, outcome: "dropped (policy)")
                    return .dropped(.policy)
                }
            case .failed(let code):
                endEpisode(counters, label(), logger, outcome: "failed (\(errnoName(code)))")
                return .failed(code)
            }
        }
    }

    /// Writes that may be made without `write` before an injected failure is due (none while an
    /// episode is open).
    var sendsBeforeInjection: Int { episode == nil ? sendPath.attemptsBeforeInjection : 0 }

    /// `count` writes went through without `write` (a batch): they count as operations for
    /// the injection's every=N, as if written one at a time.
    mutating func countBatchedSends(_ count: Int) { sendPath.countOperations(count) }

    /// Ends an episode cut short (the stream closed), so every event gets its stall measured.
    mutating func abandon(counters: DirectionCounters, label: String, logger: Logger) {
        endEpisode(counters, label, logger, outcome: "abandoned (stream ended)")
    }

    /// Records the stall and the held time: for `spin` and `sleep` the writer never left the
    /// episode, so it was held for the whole stall; for `wait` only the retry attempts count.
    private mutating func endEpisode(_ counters: DirectionCounters, _ label: @autoclosure () -> String, _ logger: Logger,
                                     outcome: @autoclosure () -> String) {
        guard let e = episode else { return }
        let stall = Clocks.monotonicMicros() &- e.startMicros
        counters.recordEpisodeEnd(stallMicros: stall, retries: e.retries)
        if let how { counters.recordRetryTime(how, micros: how == .wait ? e.attemptMicros : stall) }
        episode = nil
        logger.debug("\(label()): \(e.cause.label) episode \(outcome()) after \(e.retries) retries, stall \(stall) µs")
    }
}
