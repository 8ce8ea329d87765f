#if canImport(Glibc)
import Glibc
import CSystemShims
import Telemetry

/// A NETLINK_SOCK_DIAG socket: asks the kernel for a dump of one kind of socket and hands
/// each socket's reply to a visitor. One request and one receive buffer are reused by every
/// poll, so a steady poll allocates nothing here.
final class SockDiagSocket {
    enum Kind {
        case tcp4, tcp6, unix
    }

    /// Port conditions the kernel applies to TCP dumps (any one matching): (port, is destination).
    /// Empty: every socket. At most 31 (the filter's jumps are one byte).
    var tcpPorts: [(port: UInt16, destination: Bool)] = []

    private let fd: Int32
    private var request = [UInt8](repeating: 0, count: 1024)
    /// The kernel fills up to a page or so per reply datagram; 64 KiB is never cut.
    private var buffer = [UInt8](repeating: 0, count: 65536)
    private var sequence: UInt32 = 0
    /// The prepared exact lookups, and where each batch of them starts in `lookupRequest` (then its end).
    private var lookupRequest: [UInt8] = []
    private var batchStarts: [Int] = []
    private(set) var lookupCount = 0
    private static let lookupBatch = 64
    /// A lookup's reply (inet_diag_msg, tcp_info, SK_MEMINFO: ≈ 400 bytes) fits a slot; 64 slots fill `buffer`.
    private static let replySlot = 1024
    private var replyLengths = [Int32](repeating: 0, count: 64)

    init() throws(ObserveError) {
        let type = Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        switch systemCall({ socket(AF_NETLINK, type, bp_netlink_sock_diag()) }) {
        case .done(let fd): self.fd = Int32(fd)
        case .wouldBlock: throw ObserveError("cannot open a socket diagnostics (netlink) socket: EAGAIN")
        case .failed(let code): throw ObserveError("cannot open a socket diagnostics (netlink) socket: \(String(cString: strerror(code)))")
        }
        // A kernel that never answers must not hang the observer for ever.
        var timeout = timeval(tv_sec: 2, tv_usec: 0)
        _ = setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        // Room for a whole batch of replies (64 × ≈ 2.3 KiB of kernel memory each) beyond the
        // default's 208 KiB, so a batch is never cut short by ENOBUFS; root may pass rmem_max.
        var room: Int32 = 1 << 20
        if setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &room, socklen_t(MemoryLayout<Int32>.size)) != 0 {
            _ = setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &room, socklen_t(MemoryLayout<Int32>.size))
        }
    }

    deinit { close(fd) }

    /// Dumps every socket of `kind`, calling `visit` with each socket's message payload.
    func dump(_ kind: Kind, _ visit: (UnsafeRawPointer, Int) -> Void) throws(ObserveError) {
        sequence &+= 1
        let seq = sequence
        let ports = tcpPorts.map(\.port), sides = tcpPorts.map { UInt8($0.destination ? 1 : 0) }
        let length = request.withUnsafeMutableBytes { r -> Int in
            switch kind {
            case .tcp4: bp_inet_diag_request(r.baseAddress, r.count, UInt8(AF_INET), seq, ports, sides, Int32(ports.count))
            case .tcp6: bp_inet_diag_request(r.baseAddress, r.count, UInt8(AF_INET6), seq, ports, sides, Int32(ports.count))
            case .unix: bp_unix_diag_request(r.baseAddress, r.count, seq)
            }
        }
        guard length > 0 else { throw ObserveError("netlink: request too large") }
        let sent = request.withUnsafeBytes { r in systemCall { send(fd, r.baseAddress, length, 0) } }
        if case .failed(let code) = sent { throw ObserveError("netlink send: \(String(cString: strerror(code)))") }
        while true {
            let received = buffer.withUnsafeMutableBytes { b in systemCall { recv(fd, b.baseAddress, b.count, 0) } }
            let count: Int
            switch received {
            case .done(let n): count = n
            case .wouldBlock: throw ObserveError("netlink: no answer from the kernel within 2 s")
            case .failed(let code): throw ObserveError("netlink receive: \(String(cString: strerror(code)))")
            }
            guard count > 0 else { throw ObserveError("netlink: the kernel closed the dump early") }
            let outcome = buffer.withUnsafeBytes { b -> Result<Bool, ObserveError> in
                var offset = 0
                while true {
                    var payload: UnsafeRawPointer?
                    var payloadLength = 0
                    var error: Int32 = 0
                    var seq: UInt32 = 0
                    switch bp_netlink_next(b.baseAddress, count, &offset, &payload, &payloadLength, &error, &seq) {
                    case 1: if let payload { visit(payload, payloadLength) }
                    case 0: return .success(false)
                    case 2: return .success(true)
                    case -1:
                        if error == ENOENT {
                            return .failure(ObserveError("socket diagnostics for \(kind) are not available (is the inet_diag / unix_diag module loaded?)"))
                        }
                        return .failure(ObserveError("netlink: the kernel refused the dump: \(String(cString: strerror(error)))"))
                    default: return .failure(ObserveError("netlink: malformed reply"))
                    }
                }
            }
            let finished = try outcome.get()
            if finished { return }
        }
    }

    /// Builds the requests for exactly these TCP sockets (as an earlier dump described them),
    /// kept and sent again at every poll until the next call: the kernel looks each up by its
    /// addresses instead of walking its whole table (262,144 buckets here, twice: ≈ 1 ms a dump).
    func prepareLookups(_ sockets: [bp_inet_socket]) {
        let size = sockets.count * 128
        if lookupRequest.count < size { lookupRequest = [UInt8](repeating: 0, count: size) }
        batchStarts.removeAll(keepingCapacity: true)
        var length = 0
        lookupRequest.withUnsafeMutableBytes { r in
            for (i, socket) in sockets.enumerated() {
                if i % Self.lookupBatch == 0 { batchStarts.append(length) }
                var s = socket
                _ = bp_inet_diag_lookup(r.baseAddress, r.count, &length, &s, 0)
            }
        }
        batchStarts.append(length)
        lookupCount = sockets.count
    }

    /// Sends the prepared lookups, `lookupBatch` requests per send. `visit(i, payload)` gets
    /// socket i's reply, or nil once it is gone.
    func lookup(_ visit: (Int, UnsafeRawPointer?, Int) -> Void) throws(ObserveError) {
        for batch in 0..<max(batchStarts.count - 1, 0) {
            let start = batch * Self.lookupBatch
            let end = min(start + Self.lookupBatch, lookupCount)
            sequence &+= UInt32(Self.lookupBatch)
            let base = sequence
            let from = batchStarts[batch], to = batchStarts[batch + 1]
            lookupRequest.withUnsafeMutableBytes { r in bp_netlink_renumber(r.baseAddress! + from, to - from, base) }
            let sent = lookupRequest.withUnsafeBytes { r in systemCall { send(fd, r.baseAddress! + from, to - from, 0) } }
            if case .failed(let code) = sent { throw ObserveError("netlink send: \(String(cString: strerror(code)))") }
            var answered = 0
            while answered < end - start {
                // One reply per socket, each its own datagram: taken many per system call.
                let slots = min(end - start - answered, replyLengths.count)
                let received = buffer.withUnsafeMutableBytes { b in
                    replyLengths.withUnsafeMutableBufferPointer { l in
                        systemCall { bp_recv_many(fd, b.baseAddress, Self.replySlot, Int32(slots), l.baseAddress) }
                    }
                }
                let datagrams: Int
                switch received {
                case .done(let n): datagrams = n
                case .wouldBlock: throw ObserveError("netlink: no answer from the kernel within 2 s")
                case .failed(let code): throw ObserveError("netlink receive: \(String(cString: strerror(code)))")
                }
                guard datagrams > 0 else { throw ObserveError("netlink: the kernel closed the socket") }
                buffer.withUnsafeBytes { b in
                    for d in 0..<datagrams {
                        let length = Int(replyLengths[d])
                        // Cut to its slot: the socket's reply is lost this poll (counted as an answer).
                        guard length > 0 else { answered += 1; continue }
                        var offset = 0
                        let slot = b.baseAddress! + d * Self.replySlot
                        while true {
                            var payload: UnsafeRawPointer?
                            var payloadLength = 0
                            var error: Int32 = 0
                            var seq: UInt32 = 0
                            let kind = bp_netlink_next(slot, length, &offset, &payload, &payloadLength, &error, &seq)
                            guard kind == 1 || kind == -1 else { break }
                            let i = Int(seq &- base)
                            guard i >= 0, i < end - start else { continue }
                            answered += 1
                            visit(start + i, kind == 1 ? payload : nil, payloadLength)
                        }
                    }
                }
            }
        }
    }
}
#endif
