#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Telemetry

/// The frames a `DatagramPump` read from its source and has not yet handed on: one buffer per
/// frame, filled by one `recvmmsg` from a unix datagram socket (`FramePort.receive(into:)`),
/// by reads until a TAP device is empty, or one frame at a time from a stream (`capacity` 1); runs of them go out to a unix
/// datagram socket in one `sendmmsg` (`FramePort.transmit(_:from:count:)`).
///
/// Batching saves a system call and often a wake-up per frame (issue 15: the bare forwarder
/// moves 1.3–1.7× the frames with it). Every buffer holds the largest frame relayed, because a
/// datagram cut by the kernel is lost; pages are touched only as far as frames reach, so a
/// batch of 1,500-byte frames costs a page per buffer. Allocated once; nothing per frame.
final class FrameBatch {
    let capacity: Int
    let frameBytes: Int
    private let storage: UnsafeMutableRawPointer
    /// `buffers[i]`: frame i's buffer, `frameBytes` long.
    let buffers: UnsafeMutablePointer<UnsafeMutableRawPointer?>
    /// Each frame's whole length: above `frameBytes` when only its start fitted.
    let lengths: UnsafeMutablePointer<Int>
    /// A listening socket's senders, per frame.
    let names: UnsafeMutablePointer<sockaddr_un>
    let nameLengths: UnsafeMutablePointer<UInt32>
    /// Frames read, and the next one to hand on (`next == count`: none left).
    var count = 0
    var next = 0
    /// Frames before this one (from `next`) were counted as received by a run that blocked;
    /// `counters` holds each one's counters, retained until it is written or dropped.
    var countedEnd = 0
    /// Per frame: its flow-direction's counters, while a run of frames is sent (`DatagramPump`).
    let counters: UnsafeMutablePointer<Unmanaged<DirectionCounters>?>

    init(capacity: Int, frameBytes: Int) {
        precondition(capacity >= 1)
        self.capacity = capacity
        self.frameBytes = frameBytes
        storage = .allocate(byteCount: capacity * frameBytes, alignment: 16)
        buffers = .allocate(capacity: capacity)
        for i in 0..<capacity { (buffers + i).initialize(to: storage + i * frameBytes) }
        lengths = .allocate(capacity: capacity)
        lengths.initialize(repeating: 0, count: capacity)
        names = .allocate(capacity: capacity)
        names.initialize(repeating: sockaddr_un(), count: capacity)
        nameLengths = .allocate(capacity: capacity)
        nameLengths.initialize(repeating: 0, count: capacity)
        counters = .allocate(capacity: capacity)
        counters.initialize(repeating: nil, count: capacity)
    }

    deinit {
        storage.deallocate()
        buffers.deallocate()
        lengths.deallocate()
        names.deallocate()
        nameLengths.deallocate()
        counters.deallocate()
    }

    /// Frame `i`'s whole buffer.
    func buffer(_ i: Int) -> UnsafeMutableRawBufferPointer {
        UnsafeMutableRawBufferPointer(start: buffers[i], count: frameBytes)
    }

    /// Frame `i` as far as it is in its buffer.
    func frame(_ i: Int) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: buffers[i], count: min(lengths[i], frameBytes))
    }

    var hasFrames: Bool { next < count }
}
