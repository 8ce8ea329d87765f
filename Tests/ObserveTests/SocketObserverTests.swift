#if canImport(Glibc)
import Glibc
import Testing
import Telemetry
@testable import Observe

/// The observer against real sockets of this process, read through the real netlink diagnostics.
@Suite struct SocketObserverTests {
    @Test func portFiltersParseAndMatch() throws {
        let dport = try TCPPortFilter(parsing: "dport=5201")
        #expect(dport.matches(local: 40000, remote: 5201))
        #expect(!dport.matches(local: 5201, remote: 40000))
        #expect(try TCPPortFilter(parsing: "sport = 80").matches(local: 80, remote: 1))
        #expect(try TCPPortFilter(parsing: "port=80").matches(local: 1, remote: 80))
        #expect(throws: ObserveError.self) { try TCPPortFilter(parsing: "dst=5201") }
        #expect(throws: ObserveError.self) { try TCPPortFilter(parsing: "dport=0") }
        #expect(throws: ObserveError.self) { try TCPPortFilter(parsing: "dport=70000") }
    }

    /// A receiver that reads nothing: the count of datagrams queued is exact (one length),
    /// and the sender's EAGAIN comes exactly when the count passes the limit.
    @Test func datagramQueueCountsEveryQueuedDatagram() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path + "/r.sock"
        let receiver = try boundDatagramSocket(path)
        defer { close(receiver) }
        let sender = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        defer { close(sender) }
        #expect(connectUnix(sender, path) == 0)
        let registry = StreamRegistry()
        let publication = ObservedPublication()
        let observer = try SocketObserver(
            configuration: .init(selection: SocketSelection(pids: [], unixPaths: [path], tcpFilters: []),
                                 intervalMicros: 100_000, closedRetentionMicros: 1_000_000, maxFinished: 10),
            registry: registry, publication: publication) { _ in }
        let limit = ProcFS.maxDatagramQueue()
        var sent: UInt64 = 0
        var refused = 0
        let frame = [UInt8](repeating: 7, count: 1000)
        for _ in 0..<Int(limit) + 5 {
            if send(sender, frame, frame.count, 0) == frame.count { sent += 1 } else if errno == EAGAIN { refused += 1 }
        }
        #expect(sent == limit + 1)
        #expect(refused == 4)
        try observer.pollOnce()
        var snapshot = registry.snapshot()
        publication.annotate(&snapshot)
        let bound = try #require(snapshot.streams.first { $0.identity.local == path && $0.identity.proto == "unixgram" && $0.observed?.datagrams != nil })
        #expect(bound.observed?.datagrams?.datagrams == sent)
        #expect(bound.observed?.datagrams?.limit == limit)
        #expect(bound.identity.owner?.pid == getpid())
        let peer = try #require(snapshot.streams.first { $0.identity.owner?.inode != bound.identity.owner?.inode })
        // The sender is the client: it sends c2s, and names the receiver as `local`.
        #expect(peer.observed?.sendDirection == .c2s)
        #expect(peer.identity.local == path)
        #expect(peer.identity.peer == "socket:[\(peer.identity.owner?.inode ?? 0)]")
        // An unconnected receiver has no peer of its own (its senders name it).
        #expect(bound.identity.peer == "")
        #expect((peer.observed?.sendQueueBytes ?? 0) > 0)
        #expect(bound.observed?.receiveQueueBytes == peer.observed?.sendQueueBytes)
    }

    /// Bytes a loopback TCP sender wrote and its receiver read show as acked / received.
    @Test func tcpBytesAckedAndReceived() throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(listener) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        withUnsafeMutablePointer(to: &address) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { a in
                _ = bind(listener, a, length)
                _ = listen(listener, 4)
                _ = getsockname(listener, a, &length)
            }
        }
        let port = UInt16(bigEndian: address.sin_port)
        let client = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        let connected = withUnsafePointer(to: &address) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(client, $0, length) }
        }
        #expect(connected == 0)
        let server = accept(listener, nil, nil)
        let payload = [UInt8](repeating: 1, count: 100_000)
        var written = 0
        while written < payload.count {
            let n = payload[written...].withUnsafeBytes { send(client, $0.baseAddress, $0.count, 0) }
            written += max(n, 0)
        }
        var buffer = [UInt8](repeating: 0, count: 65536)
        var read = 0
        while read < payload.count { read += max(recv(server, &buffer, buffer.count, 0), 0) }
        let registry = StreamRegistry()
        let publication = ObservedPublication()
        let observer = try SocketObserver(
            configuration: .init(selection: SocketSelection(pids: [], unixPaths: [], tcpFilters: [try TCPPortFilter(parsing: "port=\(port)")]),
                                 intervalMicros: 100_000, closedRetentionMicros: 1_000_000, maxFinished: 10),
            registry: registry, publication: publication) { _ in }
        // The last ACK may still be on its way: poll until it is counted (no timing asserted).
        var counted = false
        for _ in 0..<200 where !counted {
            try observer.pollOnce()
            let streams = registry.snapshot().streams
            counted = streams.count == 2 && streams.allSatisfy { $0.c2s.bytes == UInt64(payload.count) }
            if !counted { usleep(10_000) }
        }
        var snapshot = registry.snapshot()
        publication.annotate(&snapshot)
        #expect(snapshot.streams.count == 2)
        // Both sockets name the server as `local` and the client as `peer`; the client sends c2s.
        let sides = snapshot.streams.map { $0.observed?.sendDirection }
        #expect(Set(sides.compactMap { $0 }) == [.c2s, .s2c])
        #expect(Set(snapshot.streams.map(\.identity.local)) == ["127.0.0.1:\(port)"])
        for s in snapshot.streams {
            #expect(s.c2s.bytes == UInt64(payload.count))
            #expect(s.observed?.tcp != nil)
            #expect(s.identity.owner?.comm.isEmpty == false)
        }
        // Between dumps the sockets are looked up by their addresses: once closed (TIME_WAIT
        // or gone), their streams close.
        close(client)
        close(server)
        var closed = false
        for _ in 0..<200 where !closed {
            try observer.pollOnce()
            closed = registry.snapshot().streams.allSatisfy { $0.state == .closed }
            if !closed { usleep(10_000) }
        }
        #expect(closed)
    }
}

private struct TemporaryDirectory {
    let path: String

    init() throws {
        var template = Array("/tmp/bp-observe-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw ObserveError("mkdtemp failed") }
        path = String(cString: made)
    }
}

private func boundDatagramSocket(_ path: String) throws -> Int32 {
    let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
    var address = unixAddress(path)
    let rc = withUnsafePointer(to: &address) { p in
        p.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
    }
    guard rc == 0 else { throw ObserveError("bind \(path) failed") }
    return fd
}

private func connectUnix(_ fd: Int32, _ path: String) -> Int32 {
    var address = unixAddress(path)
    return withUnsafePointer(to: &address) { p in
        p.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
    }
}

private func unixAddress(_ path: String) -> sockaddr_un {
    var address = sockaddr_un()
    address.sun_family = sa_family_t(AF_UNIX)
    withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: Array(path.utf8)) }
    return address
}
#endif
