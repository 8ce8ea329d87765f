#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Logging
import Telemetry

/// Moves frames one way between two `FramePort`s and counts each under its flow.
///
/// One frame at a time, in order: a frame is read into the one buffer, counted as received
/// under its flow, and written (retry policy applied by `WriteRetrier`). Under `wait` a
/// blocked frame stays in the buffer and nothing more is read from the source until it is
/// written or dropped, so the source's kernel queue holds the rest and its sender feels the
/// backpressure; frames are never reordered. Every frame read ends as exactly one write or
/// one drop, so frames received = writes + drops per flow-direction.
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
    private let buffer: UnsafeMutableRawBufferPointer
    private let readDelayMicros: UInt32
    private let logger: Logger
    private var lastErrorLogMicros: UInt64 = 0
    private var lastTooLargeLogMicros: UInt64 = 0
    /// When a blocked frame is tried again even without a writable event (`wait` only).
    var retryAtMicros: UInt64 { sender.retryAtMicros }

    init(from source: FramePort, to destination: FramePort, side: Direction, flows: FlowStreams,
         policy: RetryPolicy, injection: FaultInjection?, stop: StopSignal?, readDelayMicros: UInt32, logger: Logger) {
        self.source = source
        self.destination = destination
        self.side = side
        self.flows = flows
        self.sender = DatagramSender(policy: policy, injection: injection, stop: stop)
        self.readDelayMicros = readDelayMicros
        self.logger = logger
        buffer = .allocate(byteCount: Self.maxFrameBytes, alignment: 16)
    }

    deinit { buffer.deallocate() }

    /// The largest frame relayed: four times a 64 KiB TSO frame, more than any TAP or network
    /// helper sends. A longer datagram is dropped whole (`reason="too_large"`), never cut.
    static let maxFrameBytes = 256 * 1024

    var isBlocked: Bool { sender.isBlocked }

    /// Reads and forwards frames until the source is dry, a frame blocks or the round ends.
    /// `trigger` is why a blocked frame is tried again now (its destination's writable event or
    /// the retry timer).
    func run(nowMicros: UInt64, retryDelayMicros: UInt64, trigger: WaitRecovery = .event) -> Progress {
        if isBlocked,
           !retryPending(nowMicros: nowMicros, retryDelayMicros: retryDelayMicros, trigger: trigger) { return .blocked }
        for _ in 0..<Self.framesPerRound {
            if readDelayMicros > 0 { usleep(readDelayMicros) }
            let n: Int
            switch systemCall({ source.receive(into: buffer) }) {
            case .done(let received): n = received
            case .wouldBlock: return .idle
            case .failed(let code):
                // A stream's peer went away: the relay ends the connection, nothing to log per frame.
                if source.framing?.isClosed == true { return .idle }
                logError("receive from \(source.name)", code, nowMicros)
                return .idle
            }
            let frame = UnsafeRawBufferPointer(rebasing: buffer[0..<min(n, buffer.count)])
            if n > buffer.count {
                dropTooLarge(frame, length: n, nowMicros: nowMicros)
                continue
            }
            if isVfkitMagic(frame) {
                _ = destination.transmit(frame)
                continue
            }
            let counters = flows.counters(for: frame, side: side, nowMicros: nowMicros)
            counters._withUnsafeGuaranteedRef { $0.recordReceived(bytes: frame.count) }
            sender.start(counters, length: frame.count)
            if !retryPending(nowMicros: nowMicros, retryDelayMicros: retryDelayMicros) { return .blocked }
        }
        return .idle
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
        let frame = UnsafeRawBufferPointer(rebasing: buffer[0..<sender.pendingLength])
        return sender.attempt(label: "\(side.label) frame", logger: logger, nowMicros: nowMicros,
                              retryDelayMicros: retryDelayMicros, trigger: trigger, transmit: { destination.transmit(frame) },
                              failed: { logError("send to \(destination.name)", $0, nowMicros) })
    }

    /// The relay is stopping: a waiting frame is given up and counted, so the books balance.
    /// A frame the source's stream peer left unfinished when it closed is counted as received
    /// and dropped (`send_error`: it can never be sent) with the bytes that came.
    func abandon(nowMicros: UInt64) {
        sender.abandon(label: "\(side.label) frame", logger: logger)
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
