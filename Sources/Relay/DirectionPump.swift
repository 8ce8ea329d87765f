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

    let counters: DirectionCounters
    private let label: String
    private var retrier: WriteRetrier
    private let queue: any ByteQueue
    private(set) var sourceEnded = false
    /// `wait`: when the blocked write is tried again if no writable event came first (0: not
    /// scheduled), and the delay after that.
    private(set) var retryAtMicros: UInt64 = 0
    private var retryDelayMicros = DirectionPump.firstRetryDelayMicros

    /// The retry timer of a blocked write starts at 1 ms and doubles up to 64 ms: on Linux the
    /// writable event nearly always comes first, and a thousand streams stalled on peers that
    /// do not read must not cost a core in retries.
    static let firstRetryDelayMicros: UInt64 = 1000
    static let maxRetryDelayMicros: UInt64 = 64_000

    init(counters: DirectionCounters, label: String, capacity: Int, copy: CopyMode = .buffer,
         policy: RetryPolicy, injection: FaultInjection?, stop: StopSignal? = nil) {
        self.counters = counters
        self.label = label
        self.retrier = WriteRetrier(policy: policy, injection: injection, stop: stop)
        self.queue = copy.makeQueue(capacity: capacity)
    }

    /// Whether the source should be read: not ended, not blocked, room in the buffer.
    var wantsRead: Bool { !sourceEnded && !retrier.isBlocked && queue.hasRoom }
    /// Whether the destination must be watched for writability (a `wait` episode).
    var wantsWrite: Bool { retrier.isBlocked }
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

    /// Writes what is queued, applying the retry policy to buffer-full failures; `trigger` is
    /// why a blocked write is tried again now.
    func flush(to fd: Int32, logger: Logger, trigger: WaitRecovery = .event) -> FlushOutcome {
        defer { counters.setQueued(bytes: queue.count) }
        while queue.count > 0 {
            switch retrier.write(counters: counters, label: label, logger: logger, trigger: trigger, { queue.drain(to: fd) }) {
            case .sent:
                if retryAtMicros != 0 {
                    retryAtMicros = 0
                    retryDelayMicros = Self.firstRetryDelayMicros
                }
                continue
            case .blocked: return .blocked
            case .dropped(let reason):
                // One write's worth of data: everything queued.
                counters.recordDrop(reason, bytes: queue.count)
                queue.discardAll()
            case .failed(let code): return .failed(code)
            }
        }
        return .drained
    }

    /// Sets the time the blocked write is tried again without an event; returns it.
    func scheduleRetry(nowMicros: UInt64) -> UInt64 {
        retryAtMicros = nowMicros &+ retryDelayMicros
        retryDelayMicros = min(retryDelayMicros * 2, Self.maxRetryDelayMicros)
        return retryAtMicros
    }

    /// Ends an episode cut short by the stream closing, so every event gets its stall measured.
    func abandonEpisode(logger: Logger) {
        retrier.abandon(counters: counters, label: label, logger: logger)
    }
}
