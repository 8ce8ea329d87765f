#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Logging
import Telemetry
import Testing
@testable import Relay

/// A target UDP socket and an in-process `UDPRelay` in front of it on loopback, running on
/// its own thread until `stop()`; clients are plain UDP sockets connected to the relay.
/// Every socket of the test side blocks with a 10 s timeout: a slow relay makes a test wait,
/// never fail, and a missing datagram fails it instead of hanging.
final class UDPRig: @unchecked Sendable {
    let target: Int32
    let registry = StreamRegistry()
    let relay: UDPRelay
    private var clients: [Int32] = []
    private let thread: RelayThread

    init(policy: RetryPolicy = .wait, injection: FaultInjection? = nil, bufferSize: Int = 65536,
         receiveBuffer: Int = 1 << 20, maxStreams: Int = 64, idleMicros: UInt64 = 60_000_000) throws {
        target = Self.socket(boundTo: "127.0.0.1:0")
        let targetAddress = try SocketAddress(of: target, local: true)
        let config = UDPRelayConfiguration(
            listen: try SocketAddress(parsing: "127.0.0.1:0"), connect: targetAddress, policy: policy, injection: injection,
            bufferSize: bufferSize, receiveBuffer: receiveBuffer, maxStreams: maxStreams, idleMicros: idleMicros)
        relay = try UDPRelay(config: config, registry: registry, logger: Logger(label: "test"))
        thread = RelayThread(run: relay.run, stop: relay.requestStop)
    }

    /// Stops the relay; false when it did not stop within 10 s.
    @discardableResult
    func stop() -> Bool {
        let stopped = thread.stop()
        (clients + [target]).forEach { close($0) }
        return stopped
    }

    /// A blocking UDP socket bound to `address`, with a 10 s receive timeout.
    static func socket(boundTo address: String) -> Int32 {
        let fd = Glibc.socket(AF_INET, UDPSocket.datagramType, 0)
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        _ = setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let a = try! SocketAddress(parsing: address)
        precondition(a.withSockaddr { bind(fd, $0, $1) } == 0)
        return fd
    }

    /// A new client: a socket of its own (a new source port) connected to the relay.
    func client() -> Int32 {
        let fd = Self.socket(boundTo: "127.0.0.1:0")
        precondition(relay.boundAddress.withSockaddr { connect(fd, $0, $1) } == 0)
        clients.append(fd)
        return fd
    }

    func send(_ fd: Int32, _ datagram: [UInt8]) {
        precondition(Glibc.send(fd, datagram, datagram.count, 0) == datagram.count, "send: \(errno)")
    }

    /// The next datagram at `fd` (empty after the 10 s timeout).
    func receive(_ fd: Int32) -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: 70_000)
        let n = recv(fd, &buffer, buffer.count, 0)
        return Array(buffer[0..<max(n, 0)])
    }

    /// The next datagram at the target and the address it came from (the relay's upstream socket).
    func receiveAtTarget() -> (datagram: [UInt8], from: sockaddr_storage) {
        var buffer = [UInt8](repeating: 0, count: 70_000)
        var from = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let n = withUnsafeMutablePointer(to: &from) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { recvfrom(target, &buffer, buffer.count, 0, $0, &length) }
        }
        return (Array(buffer[0..<max(n, 0)]), from)
    }

    func reply(to address: sockaddr_storage, _ datagram: [UInt8]) {
        var address = address
        let n = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                sendto(target, datagram, datagram.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        precondition(n == datagram.count)
    }

    /// Nothing waits at `fd` right now.
    static func isEmpty(_ fd: Int32) -> Bool {
        var byte: UInt8 = 0
        return recv(fd, &byte, 1, Int32(MSG_DONTWAIT)) < 0 && errno == EAGAIN
    }

    /// Waits (at most 10 s) until `condition` holds for the registry's snapshot.
    func waitUntil(_ condition: (MetricsSnapshot) -> Bool) -> MetricsSnapshot {
        for _ in 0..<10_000 {
            let s = registry.snapshot()
            if condition(s) { return s }
            usleep(1000)
        }
        return registry.snapshot()
    }

    /// The first stream once `condition` holds for it (at most 10 s); its last state otherwise.
    func firstStream(_ condition: (StreamSnapshot) -> Bool) throws -> StreamSnapshot {
        let snapshot = waitUntil { $0.streams.first.map(condition) ?? false }
        return try #require(snapshot.streams.first)
    }

    static func datagram(_ size: Int, seed: Int) -> [UInt8] {
        (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ seed) }
    }

    static func port(_ fd: Int32) -> String { (try? SocketAddress(of: fd, local: true))?.description ?? "?" }
}

extension DirectionSnapshot {
    /// `count` datagrams were read and each has ended as a write or a drop.
    func settled(_ count: UInt64) -> Bool { framesReceived == count && writes + drops.total == count }
}
