#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CSystemShims
import Logging
import Telemetry

/// One direction of a UDP stream: datagrams from its source socket to its destination socket,
/// one at a time and whole, counted under the stream-direction's counters.
///
/// Per datagram: one recvmsg into the direction's buffer (its length, truncation and the
/// source socket's kernel drop count come with it), then one send under the retry policy
/// (`DatagramSender`). A datagram larger than the buffer is dropped whole and counted
/// (`too_large`). Under `wait` a blocked datagram stays in the buffer and the source is not
/// read until it is written, so the kernel queues what follows and nothing is reordered.
final class UDPDirection {
    /// Datagrams read per readiness event before the loop looks at other sockets, for fairness.
    static let datagramsPerRound = 64

    let counters: DirectionCounters
    let source: Int32
    let destination: Int32
    /// `stream 7 c2s`, for log lines; formatted once.
    private let label: String
    private var sender: DatagramSender
    private let buffer: UnsafeMutableRawBufferPointer
    private var kernelDrops = KernelDropCount()
    private let warnings: ThrottledWarnings

    init(counters: DirectionCounters, label: String, from source: Int32, to destination: Int32,
         config: UDPRelayConfiguration, stop: StopSignal, warnings: ThrottledWarnings) {
        self.counters = counters
        self.label = label
        self.source = source
        self.destination = destination
        self.warnings = warnings
        sender = DatagramSender(policy: config.policy, injection: config.injection, stop: stop)
        buffer = .allocate(byteCount: config.bufferSize, alignment: 16)
    }

    deinit { buffer.deallocate() }

    /// A datagram waits for the destination (`wait`): read nothing, watch the destination.
    var isBlocked: Bool { sender.isBlocked }

    /// Reads and forwards datagrams until the source is dry, one blocks or the round ends.
    func run(nowMicros: UInt64) {
        guard retry(nowMicros: nowMicros) else { return }
        let failure = UDPSocket.readDatagrams(from: source, into: buffer, budget: Self.datagramsPerRound) { n, info, _ in
            if info.has_drops != 0 { countKernelDrops(info.drops) }
            counters.recordReceived(bytes: n)
            if info.truncated != 0 {
                counters.recordDrop(.tooLarge, bytes: n)
                return true
            }
            sender.start(.passUnretained(counters), length: n)
            return retry(nowMicros: nowMicros)
        }
        if failure != 0 {
            warnings.warn(nowMicros: nowMicros) { "\(label): receive: \(String(cString: strerror(failure)))" }
        }
    }

    /// A datagram the listening socket read for this direction (a client's first ones, before
    /// its own socket was connected): counted and sent as if read here. Only when not blocked.
    /// `length` is the datagram's whole length; `truncated` says only part of it is in `bytes`.
    func forward(_ bytes: UnsafeRawBufferPointer, length: Int, truncated: Bool, nowMicros: UInt64) {
        counters.recordReceived(bytes: length)
        if truncated {
            counters.recordDrop(.tooLarge, bytes: length)
            return
        }
        buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[0..<length]))
        sender.start(.passUnretained(counters), length: length)
        retry(nowMicros: nowMicros)
    }

    /// Writes the waiting datagram, if any; false while it is still blocked.
    @discardableResult
    func retry(nowMicros: UInt64) -> Bool {
        guard sender.isBlocked else { return true }
        let datagram = UnsafeRawBufferPointer(rebasing: buffer[0..<sender.pendingLength])
        return sender.attempt(
            label: label, logger: warnings.logger, nowMicros: nowMicros, retryDelayMicros: 0,
            transmit: { send(destination, datagram.baseAddress, datagram.count, 0) },
            failed: { code in
                warnings.warn(nowMicros: nowMicros) {
                    "\(label): send: \(String(cString: strerror(code))); datagrams that cannot be sent are dropped (reason send_error)"
                }
            })
    }

    /// Adds the drops the kernel counted at the source socket since the last datagram read
    /// (SO_MEMINFO): run once a second, so drops at the end of a burst are not missed.
    func pollKernelDrops() {
        if let drops = UDPSocket.drops(source) { countKernelDrops(drops) }
    }

    /// The stream is closing: a waiting datagram is counted as dropped.
    func abandon() {
        sender.abandon(label: label, logger: warnings.logger)
    }

    private func countKernelDrops(_ reading: UInt32) {
        let added = kernelDrops.advance(to: reading)
        if added > 0 { counters.recordKernelDrops(added) }
    }
}
