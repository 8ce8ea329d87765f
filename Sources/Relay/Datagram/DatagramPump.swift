#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Logging
import Telemetry

/// Moves frames one way between two `FramePort`s and counts each under its flow.
///
/// Frames are read into a `FrameBatch` (up to `--receive-batch`: one recvmmsg from a unix
/// datagram socket, reads until a TAP is empty, one frame from a stream), then handed on in
/// order, each counted as received under its flow and written: runs of them to a unix datagram
/// socket in one sendmmsg (`sendRun`), the rest one at a time, the retry policy applied per
/// frame by `WriteRetrier`, so every policy, event, retry and injected failure is exactly as
/// with one read and one send per frame. Under `wait` a blocked frame stays in its buffer and nothing more is read
/// from the source until it and the rest of its batch are written or dropped, so the source's
/// kernel queue holds the rest and its sender feels the backpressure; frames are never
/// reordered. Every frame read ends as exactly one write or one drop, so frames received =
/// writes + drops per flow-direction once nothing waits.
final class DatagramPump {
    enum Progress {
        /// The source had nothing more (or the round's frame budget was spent).
        case idle
        /// A frame is waiting for the destination (`wait`).
        case blocked
    }

    /// Frames read per round before the loop looks at other descriptors, for fairness.
    static let framesPerRound = 64
    /// `VFKT`: the first datagram of a vfkit-style client, so the helper learns its address.
    static let vfkitMagic: UInt32 = 0x5646_4b54

    let source: FramePort
    let destination: FramePort
    /// `c2s` from the first port to the second (see `FlowStreams` for frames without a flow).
    let side: Direction
    private let flows: FlowStreams
    private var sender: DatagramSender
    /// Frames read and not yet handed on; the one `sender` holds is `pendingFrame`, in it.
    private let batch: FrameBatch
    private var pendingFrame = UnsafeRawBufferPointer(start: nil, count: 0)
    /// Runs of frames go out in one sendmmsg (see `sendRun`).
    private let sendsBatches: Bool
    private let readDelayMicros: UInt32
    private let logger: Logger
    private var lastErrorLogMicros: UInt64 = 0
    private var lastTooLargeLogMicros: UInt64 = 0
    /// When a blocked frame is tried again even without a writable event (`wait` only).
    var retryAtMicros: UInt64 { sender.retryAtMicros }

    init(from source: FramePort, to destination: FramePort, side: Direction, flows: FlowStreams,
         policy: RetryPolicy, injection: FaultInjection?, stop: StopSignal?, readDelayMicros: UInt32, receiveBatch: Int,
         logger: Logger) {
        self.source = source
        self.destination = destination
        self.side = side
        self.flows = flows
        self.sender = DatagramSender(policy: policy, injection: injection, stop: stop)
        self.readDelayMicros = readDelayMicros
        self.logger = logger
        // A deliberately slow reader (`--read-delay`) sleeps before every frame, so reads one at a time.
        let batched = source.readsBatches && readDelayMicros == 0
        batch = FrameBatch(capacity: batched ? receiveBatch : 1, frameBytes: Self.maxFrameBytes)
        sendsBatches = batch.capacity > 1 && destination.movesBatches
    }

    /// The largest frame relayed: four times a 64 KiB TSO frame, more than any TAP or network
    /// helper sends. A longer datagram is dropped whole (`reason="too_large"`), never cut.
    static let maxFrameBytes = 256 * 1024

    var isBlocked: Bool { sender.isBlocked }

    /// Reads and forwards frames until the source is dry, a frame blocks or the round ends.
    /// `trigger` is why a blocked frame is tried again now (its destination's writable event or
    /// the retry timer). A batch is always handed on to its end (or to a blocked frame), so no
    /// frame waits in the batch for a readable event that will not come.
    func run(nowMicros: UInt64, retryDelayMicros: UInt64, trigger: WaitRecovery = .event) -> Progress {
        if isBlocked,
           !retryPending(nowMicros: nowMicros, retryDelayMicros: retryDelayMicros, trigger: trigger) { return .blocked }
        var handed = 0
        while true {
            while batch.hasFrames {
                if sendsBatches && !isBlocked && batch.next >= batch.countedEnd {
                    let n = runLength()
                    if n >= 2 {
                        handed += n
                        if !sendRun(n, nowMicros: nowMicros, retryDelayMicros: retryDelayMicros) { return .blocked }
                        continue
                    }
                }
                let i = batch.next
                batch.next += 1
                handed += 1
                let sent = i < batch.countedEnd ? resume(i, nowMicros: nowMicros, retryDelayMicros: retryDelayMicros)
                    : forward(i, nowMicros: nowMicros, retryDelayMicros: retryDelayMicros)
                if !sent { return .blocked }
            }
            guard handed < Self.framesPerRound else { return .idle }
            if readDelayMicros > 0 { usleep(readDelayMicros) }
            switch systemCall({ source.receive(into: batch) }) {
            case .done: break
            case .wouldBlock: return .idle
            case .failed(let code):
                // A stream's peer went away: the relay ends the connection, nothing to log per frame.
                if source.framing?.isClosed == true { return .idle }
                logError("receive from \(source.name)", code, nowMicros)
                return .idle
            }
        }
    }

    /// Counts frame `i` of the batch under its flow and writes it; false when it is blocked.
    @inline(__always)
    private func forward(_ i: Int, nowMicros: UInt64, retryDelayMicros: UInt64) -> Bool {
        let frame = batch.frame(i)
        let length = batch.lengths[i]
        if length > frame.count {
            dropTooLarge(frame, length: length, nowMicros: nowMicros)
            return true
        }
        if isVfkitMagic(frame) {
            _ = destination.transmit(frame)
            return true
        }
        let counters = flows.counters(for: frame, side: side, nowMicros: nowMicros)
        counters._withUnsafeGuaranteedRef { $0.recordReceived(bytes: frame.count) }
        sender.start(counters, length: frame.count)
        pendingFrame = frame
        return retryPending(nowMicros: nowMicros, retryDelayMicros: retryDelayMicros)
    }

    /// How many frames from `batch.next` can go out in one sendmmsg: whole ones, not the vfkit
    /// hello, and none that an injected failure (`--inject enobufs`) is due for.
    private func runLength() -> Int {
        let limit = min(batch.count - batch.next, sender.sendsBeforeInjection)
        var n = 0
        while n < limit && batch.lengths[batch.next + n] <= batch.frameBytes && !isVfkitMagic(batch.frame(batch.next + n)) {
            n += 1
        }
        return n
    }

    /// Counts `n` frames from `batch.next` as received under their flows and sends them in one
    /// sendmmsg. Those it took are counted as written (exactly what one send each would have
    /// counted); the rest go through the policy one at a time, as if sent alone, so a full
    /// buffer is one buffer-full event with its retries or drop, as always. False when one of
    /// them is blocked: the frames after it, already counted as received, keep their counters
    /// alive (`countedEnd`) until their turn (`resume`).
    private func sendRun(_ n: Int, nowMicros: UInt64, retryDelayMicros: UInt64) -> Bool {
        let first = batch.next, end = first + n
        for i in first..<end {
            let counters = flows.counters(for: batch.frame(i), side: side, nowMicros: nowMicros)
            counters._withUnsafeGuaranteedRef { $0.recordReceived(bytes: batch.lengths[i]) }
            batch.counters[i] = counters
        }
        let sent = max(0, destination.transmit(batch, from: first, count: n))
        for i in first..<first + sent {
            batch.counters[i].unsafelyUnwrapped._withUnsafeGuaranteedRef { $0.recordWrite(bytes: batch.lengths[i]) }
        }
        sender.countBatchedSends(sent)
        var i = first + sent
        while i < end {
            batch.next = i + 1
            sender.start(batch.counters[i].unsafelyUnwrapped, length: batch.lengths[i])
            pendingFrame = batch.frame(i)
            if !retryPending(nowMicros: nowMicros, retryDelayMicros: retryDelayMicros) {
                for j in i + 1..<end { _ = batch.counters[j].unsafelyUnwrapped.retain() }
                batch.countedEnd = end
                return false
            }
            i += 1
        }
        batch.next = end
        return true
    }

    /// Frame `i` of a run, already counted as received and its counters retained: written now.
    private func resume(_ i: Int, nowMicros: UInt64, retryDelayMicros: UInt64) -> Bool {
        let counters = batch.counters[i].unsafelyUnwrapped
        defer { counters.release() }
        sender.start(counters, length: batch.lengths[i])
        pendingFrame = batch.frame(i)
        return retryPending(nowMicros: nowMicros, retryDelayMicros: retryDelayMicros)
    }

    /// Counts a datagram longer than the buffer under its flow (parsed from its start) as
    /// received and dropped, with its whole length, so the books still balance.
    private func dropTooLarge(_ start: UnsafeRawBufferPointer, length: Int, nowMicros: UInt64) {
        let counters = flows.counters(for: start, side: side, nowMicros: nowMicros).takeUnretainedValue()
        counters.recordReceived(bytes: length)
        counters.recordDrop(.tooLarge, bytes: length)
        guard nowMicros &- lastTooLargeLogMicros >= 1_000_000 || lastTooLargeLogMicros == 0 else { return }
        lastTooLargeLogMicros = nowMicros
        logger.warning("a \(length)-byte datagram from \(source.name) is longer than the largest frame relayed (\(Self.maxFrameBytes) bytes): dropped whole (reason too_large)")
    }

    /// Writes the waiting frame; false when it is still blocked.
    private func retryPending(nowMicros: UInt64, retryDelayMicros: UInt64, trigger: WaitRecovery = .event) -> Bool {
        let frame = pendingFrame
        return sender.attempt(label: "\(side.label) frame", logger: logger, nowMicros: nowMicros,
                              retryDelayMicros: retryDelayMicros, trigger: trigger, transmit: { destination.transmit(frame) },
                              failed: { logError("send to \(destination.name)", $0, nowMicros) })
    }

    /// The relay is stopping: a waiting frame is given up and counted, so the books balance.
    /// A frame the source's stream peer left unfinished when it closed is counted as received
    /// and dropped (`send_error`: it can never be sent) with the bytes that came.
    func abandon(nowMicros: UInt64) {
        sender.abandon(label: "\(side.label) frame", logger: logger)
        // Frames read after the blocked one: taken from the source, so counted, and dropped.
        while batch.hasFrames {
            let i = batch.next
            batch.next += 1
            let frame = batch.frame(i)
            if i < batch.countedEnd {
                let counters = batch.counters[i].unsafelyUnwrapped
                counters._withUnsafeGuaranteedRef { $0.recordDrop(.sendError, bytes: frame.count) }
                counters.release()
            } else if batch.lengths[i] > frame.count {
                dropTooLarge(frame, length: batch.lengths[i], nowMicros: nowMicros)
            } else if !isVfkitMagic(frame) {
                let counters = flows.counters(for: frame, side: side, nowMicros: nowMicros).takeUnretainedValue()
                counters.recordReceived(bytes: frame.count)
                counters.recordDrop(.sendError, bytes: frame.count)
            }
        }
        guard let framing = source.framing else { return }
        if let cut = framing.takeCutFrame() {
            let counters = flows.counters(for: cut, side: side, nowMicros: nowMicros).takeUnretainedValue()
            counters.recordReceived(bytes: cut.count)
            counters.recordDrop(.sendError, bytes: cut.count)
            logger.warning("\(source.name) closed in the middle of a frame: its \(cut.count) bytes are counted as a dropped frame (reason send_error)")
        }
        if framing.unfinishedSkip > 0 {
            logger.warning("\(source.name) closed \(framing.unfinishedSkip) bytes before the end of an over-long frame (already counted as too_large)")
        }
        if let pending = destination.framing?.pendingOutput, pending > 0 {
            logger.warning("\(destination.name): the last \(pending) bytes of a frame already counted as written could not be sent before the connection ended")
        }
    }

    /// A 4-byte `VFKT` from a listening socket: forwarded, never counted as a frame.
    private func isVfkitMagic(_ frame: UnsafeRawBufferPointer) -> Bool {
        source.kind == .listening && frame.count == 4 && UInt32(bigEndian: frame.loadUnaligned(as: UInt32.self)) == Self.vfkitMagic
    }

    /// Logs a socket error at most once a second (a helper that went away fails every frame).
    private func logError(_ what: String, _ code: Int32, _ nowMicros: UInt64) {
        guard nowMicros &- lastErrorLogMicros >= 1_000_000 || lastErrorLogMicros == 0 else { return }
        lastErrorLogMicros = nowMicros
        logger.warning("\(what): \(String(cString: strerror(code))); frames that cannot be sent are dropped (reason send_error)")
    }
}
