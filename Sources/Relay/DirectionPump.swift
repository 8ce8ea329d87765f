#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Logging
import Telemetry

/// Moves one direction of a stream (source descriptor → bounded buffer → destination) and
/// counts its backpressure.
///
/// While a write is blocked the pump reads nothing more from its source, so the backpressure
/// reaches the sender through TCP's own window and the buffer never grows.
final class DirectionPump {
    enum ReadOutcome { case data, wouldBlock, endOfStream, failed(Int32) }
    enum FlushOutcome { case drained, blocked, failed(Int32) }

    /// A buffer-full event in progress: from the first failed attempt until a write succeeds.
    private struct Episode {
        let startMicros: UInt64
        let cause: BufferFullCause
        var lastCause: BufferFullCause
        var retries: UInt64 = 0
    }

    let counters: DirectionCounters
    private let label: String
    private let policy: RetryPolicy
    private var sendPath: SendPath
    private let queue: any ByteQueue
    private var episode: Episode?
    private(set) var sourceEnded = false

    init(counters: DirectionCounters, label: String, capacity: Int, copy: CopyMode = .buffer,
         policy: RetryPolicy, injection: FaultInjection?) {
        self.counters = counters
        self.label = label
        self.policy = policy
        self.sendPath = SendPath(injection: injection)
        self.queue = copy.makeQueue(capacity: capacity)
    }

    /// Whether the source should be read: not ended, not blocked, room in the buffer.
    var wantsRead: Bool { !sourceEnded && episode == nil && queue.hasRoom }
    /// Whether the destination must be watched for writability (a `wait` episode).
    var wantsWrite: Bool { episode != nil }
    /// Everything read has been written and the source has ended.
    var isFinished: Bool { sourceEnded && queue.count == 0 }
    var queued: Int { queue.count }

    /// Reads what the source has, up to the free space.
    func fill(from fd: Int32) -> ReadOutcome {
        let n = queue.fill(from: fd)
        if n > 0 { return .data }
        if n == 0 {
            sourceEnded = true
            return .endOfStream
        }
        switch errno {
        case EAGAIN, EWOULDBLOCK, EINTR: return .wouldBlock
        case let e: return .failed(e)
        }
    }

    /// Writes what is queued, applying the retry policy to buffer-full failures.
    func flush(to fd: Int32, logger: Logger) -> FlushOutcome {
        defer { counters.setQueued(bytes: queue.count) }
        while queue.count > 0 {
            let isRetry = episode != nil
            if let e = episode {
                counters.recordRetry(after: e.lastCause)
                episode!.retries += 1
            }
            switch sendPath.attempt(isRetry: isRetry, { queue.drain(to: fd) }) {
            case .sent(let n):
                counters.recordWrite(bytes: n)
                if episode != nil { endEpisode(logger: logger, outcome: "written") }
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
                    continue
                case .sleep(let micros, let maxRetries):
                    if let maxRetries, episode!.retries >= UInt64(maxRetries) {
                        drop(.retryBudget, logger: logger)
                    } else {
                        usleep(micros)
                    }
                case .drop:
                    drop(.policy, logger: logger)
                }
            case .failed(let code):
                return .failed(code)
            }
        }
        return .drained
    }

    /// Ends an episode cut short by the stream closing, so every event gets its stall measured.
    func abandonEpisode(logger: Logger) {
        endEpisode(logger: logger, outcome: "abandoned (stream ended)")
    }

    /// Gives up everything queued (one write's worth of data) and counts it.
    private func drop(_ reason: DropReason, logger: Logger) {
        counters.recordDrop(reason, bytes: queue.count)
        queue.discardAll()
        endEpisode(logger: logger, outcome: "dropped (\(reason.label))")
    }

    private func endEpisode(logger: Logger, outcome: @autoclosure () -> String) {
        guard let e = episode else { return }
        let stall = Clocks.monotonicMicros() &- e.startMicros
        counters.recordEpisodeEnd(stallMicros: stall, retries: e.retries)
        episode = nil
        logger.debug("\(label): \(e.cause.label) episode \(outcome()) after \(e.retries) retries, stall \(stall) µs")
    }
}
