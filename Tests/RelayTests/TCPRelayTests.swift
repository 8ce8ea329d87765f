#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Logging
import Testing
import Telemetry
@testable import Relay

/// The TCP relay in-process between real loopback sockets, with either poller: every byte
/// arrives, and when the writable event never comes after a failure (`no-writable`) the retry
/// timer ends every episode.
@Suite(.serialized) struct TCPRelayTests {
    /// An echo server on 127.0.0.1 that serves one connection on its own thread.
    final class EchoServer: @unchecked Sendable {
        let fd: Int32
        let address: SocketAddress

        init() throws {
            address = try SocketAddress(parsing: "127.0.0.1:0")
            fd = try TCPSocket.makeListener(on: address)
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
            let fd = fd
            Thread {
                let conn = accept(fd, nil, nil)
                guard conn >= 0 else { return }
                var buf = [UInt8](repeating: 0, count: 65536)
                while true {
                    let n = read(conn, &buf, buf.count)
                    if n <= 0 { break }
                    var off = 0
                    while off < n {
                        let w = buf.withUnsafeBytes { send(conn, $0.baseAddress! + off, n - off, 0) }
                        if w <= 0 { break }
                        off += w
                    }
                }
                shutdown(conn, Int32(SHUT_WR))
                close(conn)
            }.start()
        }

        var port: SocketAddress { get throws { try SocketAddress(of: fd, local: true) } }

        deinit { close(fd) }
    }

    @Test(arguments: PollerTests.kinds, [false, true])
    func everyByteArrivesAndTheTimerCoversAMissingEvent(poller: PollerKind, withheld: Bool) throws {
        let server = try EchoServer()
        let registry = StreamRegistry()
        let config = try RelayConfiguration(
            listen: SocketAddress(parsing: "127.0.0.1:0"), connect: server.port,
            injection: FaultInjection(every: 5), copy: .buffer,
            writableFault: withheld ? WritableFault() : nil, poller: poller)
        let relay = try TCPRelay(config: config, registry: registry, logger: Logger(label: "test"))
        let done = DispatchSemaphore(value: 0)
        Thread { relay.run(); done.signal() }.start()
        defer {
            relay.requestStop()
            _ = done.wait(timeout: .now() + 10)
        }

        let client = socket(AF_INET, TCPSocket.streamType, 0)
        defer { close(client) }
        #expect(relay.boundAddress.withSockaddr { connect(client, $0, $1) } == 0)
        let payload = (0..<3_000_000).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ 7) }
        Thread {
            var off = 0
            while off < payload.count {
                let n = payload.withUnsafeBytes { send(client, $0.baseAddress! + off, min(65536, payload.count - off), 0) }
                if n <= 0 { break }
                off += n
            }
            shutdown(client, Int32(SHUT_WR))
        }.start()
        var received: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = read(client, &buf, buf.count)
            if n <= 0 { break }
            received += buf[0..<n]
        }
        #expect(received == payload)

        for _ in 0..<10_000 where registry.snapshot().streams.first?.state != .closed { usleep(1000) }
        let stream = try #require(registry.snapshot().streams.first)
        #expect(stream.state == .closed)
        for d in [stream.c2s, stream.s2c] {
            #expect(d.bytes == UInt64(payload.count))
            #expect(d.bufferFull.enobufs == d.writes / 5 && d.bufferFull.enobufs > 0)
            #expect(d.waitRecoveries.total == d.stallCount, "every episode ended in a write")
            if withheld { #expect(d.waitRecoveries.event == 0) } else { #expect(d.waitRecoveries.event > 0) }
        }
    }
}
