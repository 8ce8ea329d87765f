#if canImport(Glibc)
import Glibc
import CSystemShims

/// One TCP socket as one dump showed it.
struct TCPReading {
    var inode: UInt64
    var state: UInt8
    var localPort: UInt16
    var remotePort: UInt16
    /// `HOST:PORT` / `[HOST]:PORT`, as iperf3's lines are joined (IPv4-mapped IPv6 shown as IPv4).
    var local: String
    var remote: String
    var raw: bp_inet_socket

    static let listenState: UInt8 = 10

    init?(_ payload: UnsafeRawPointer, _ length: Int) {
        var socket = bp_inet_socket()
        guard bp_parse_inet_diag(payload, length, &socket) == 0 else { return nil }
        self.init(raw: socket)
    }

    init(raw socket: bp_inet_socket) {
        raw = socket
        inode = UInt64(socket.inode)
        state = socket.state
        localPort = socket.sport
        remotePort = socket.dport
        local = ""
        remote = ""
    }

    /// Formats the addresses (only for the sockets kept, not every socket of the dump).
    mutating func nameAddresses() {
        local = Self.address(family: raw.family, bytes: raw.src, port: localPort)
        remote = Self.address(family: raw.family, bytes: raw.dst, port: remotePort)
    }

    private static func address(family: UInt8, bytes: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                                                        UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8),
                                port: UInt16) -> String {
        let b = withUnsafeBytes(of: bytes) { Array($0) }
        let mapped = b[0..<10].allSatisfy { $0 == 0 } && b[10] == 0xff && b[11] == 0xff
        if Int32(family) == AF_INET || mapped {
            let v4 = mapped ? b[12..<16] : b[0..<4]
            return "\(v4.map(String.init).joined(separator: ".")):\(port)"
        }
        var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        _ = b.withUnsafeBytes { inet_ntop(AF_INET6, $0.baseAddress, &text, socklen_t(text.count)) }
        let address = String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return "[\(address)]:\(port)"
    }

    var memory: Memory { Memory(raw.has_meminfo != 0 ? raw.meminfo : nil) }
}

/// One unix socket as one dump showed it.
struct UnixReading {
    var inode: UInt64
    /// SOCK_STREAM 1, SOCK_DGRAM 2, SOCK_SEQPACKET 5.
    var type: UInt8
    var state: UInt8
    var peer: UInt64?
    /// RQLEN: stream sockets' unread bytes; for datagram sockets the kernel gives the length
    /// of the first queued datagram instead.
    var receiveQueue: UInt64
    var memory: Memory

    static let datagramType: UInt8 = 2
    static let listenState: UInt8 = 10

    init?(_ payload: UnsafeRawPointer, _ length: Int) {
        var socket = bp_unix_socket()
        guard bp_parse_unix_diag(payload, length, &socket) == 0 else { return nil }
        inode = UInt64(socket.inode)
        type = socket.type
        state = socket.state
        peer = socket.has_peer != 0 && socket.peer != 0 ? UInt64(socket.peer) : nil
        receiveQueue = UInt64(socket.rqueue)
        memory = Memory(socket.has_meminfo != 0 ? socket.meminfo : nil)
        raw = socket
    }

    /// The kernel's name bytes: a dump holds every unix socket of the host, so names are
    /// compared in place and formatted only for the sockets observed.
    private let raw: bp_unix_socket

    var isBound: Bool { raw.name_len > 0 }

    /// The bound path, `@name` for an abstract name, nil when unbound.
    var name: String? {
        guard isBound else { return nil }
        let bytes = withUnsafeBytes(of: raw.name) { Array($0.prefix(Int(raw.name_len))) }
        if bytes[0] == 0 { return "@" + String(decoding: bytes.dropFirst(), as: UTF8.self) }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Whether its name is the one `nameBytes(path)` gives, compared without a String.
    func isNamed(_ bytes: [UInt8]) -> Bool {
        guard Int(raw.name_len) == bytes.count else { return false }
        return withUnsafeBytes(of: raw.name) { name in bytes.withUnsafeBytes { memcmp(name.baseAddress!, $0.baseAddress!, bytes.count) == 0 } }
    }

    /// A `--unix` path as the kernel names it: `@name` (abstract) is a NUL byte and the name.
    static func nameBytes(_ path: String) -> [UInt8] {
        path.hasPrefix("@") ? [0] + Array(path.utf8.dropFirst()) : Array(path.utf8)
    }

    /// The name the identity labels use: the bound name, or `socket:[INODE]` (as /proc/PID/fd spells it).
    var label: String { name ?? "socket:[\(inode)]" }
}

/// SK_MEMINFO of one socket (all zero when the kernel sent none).
struct Memory {
    var receiveAllocated: UInt64 = 0
    var receiveBuffer: UInt64 = 0
    var sendAllocated: UInt64 = 0
    var sendBuffer: UInt64 = 0
    var sendQueued: UInt64 = 0
    var drops: UInt64 = 0

    init(_ values: (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32)?) {
        guard let v = values else { return }
        receiveAllocated = UInt64(v.0)
        receiveBuffer = UInt64(v.1)
        sendAllocated = UInt64(v.2)
        sendBuffer = UInt64(v.3)
        sendQueued = UInt64(v.5)
        drops = UInt64(v.8)
    }
}
#endif
