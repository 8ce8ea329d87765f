#if canImport(Glibc)
import Glibc
import CSystemShims
import Telemetry

/// How many bytes the kernel charges for one unix datagram of a given length, measured on
/// the running kernel.
///
/// The kernel does not tell how many datagrams wait in a unix datagram socket's queue (its
/// RQLEN is the first datagram's length); it charges every queued datagram to its sender
/// (`wmem_alloc`), by the datagram's true size. Dividing what the senders are charged by the
/// true size of one datagram gives the count: exact when the datagrams are of one length, an
/// estimate when they vary. The true size depends on the kernel's allocator, so rather than
/// computing it this sends one datagram of that length over a private socket pair and reads
/// what it was charged (once per length; at most `capacity` lengths are kept).
final class DatagramTruesize {
    private var known: [UInt64: UInt64] = [:]
    private let capacity = 4096
    private var pair: (sender: Int32, receiver: Int32)?
    private var payload: [UInt8] = []

    deinit {
        if let pair {
            close(pair.sender)
            close(pair.receiver)
        }
    }

    /// nil when it cannot be measured (no descriptors, or a length the pair cannot send).
    func of(length: UInt64) -> UInt64? {
        if let size = known[length] { return size }
        guard let size = measure(length) else { return nil }
        if known.count >= capacity { known.removeAll(keepingCapacity: true) }
        known[length] = size
        return size
    }

    private func measure(_ length: UInt64) -> UInt64? {
        guard length <= 1 << 20, let pair = openPair() else { return nil }
        if payload.count < Int(length) { payload = [UInt8](repeating: 0, count: Int(length)) }
        let sent = payload.withUnsafeBytes { systemCallSend(pair.sender, $0.baseAddress, Int(length)) }
        guard sent else { return nil }
        var memory = [UInt32](repeating: 0, count: Int(BP_MEM_COUNT))
        let read = bp_socket_meminfo(pair.sender, &memory, Int32(memory.count)) == 0
        // Drain it, so the next measure starts from an empty queue.
        _ = payload.withUnsafeMutableBytes { recv(pair.receiver, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT | MSG_TRUNC)) }
        let charged = UInt64(memory[Int(BP_MEM_WMEM_ALLOC)])
        return read && charged > 0 ? charged : nil
    }

    private func systemCallSend(_ fd: Int32, _ bytes: UnsafeRawPointer?, _ count: Int) -> Bool {
        if case .done = systemCall({ send(fd, bytes, count, Int32(MSG_DONTWAIT)) }) { return true }
        return false
    }

    private func openPair() -> (sender: Int32, receiver: Int32)? {
        if let pair { return pair }
        var fds: [Int32] = [0, 0]
        guard socketpair(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &fds) == 0 else { return nil }
        // Room for the largest datagram measured.
        var size: Int32 = 4 << 20
        _ = setsockopt(fds[0], SOL_SOCKET, SO_SNDBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        pair = (fds[0], fds[1])
        return pair
    }
}
#endif
