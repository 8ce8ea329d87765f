#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Logging
import Telemetry
@testable import Relay

/// A VMM socket and a helper socket in a temporary directory around an in-process
/// `DatagramRelay.unixgram`, which runs on its own thread until `stop()`.
final class DatagramRig: @unchecked Sendable {
    let dir: String
    let vmm: Int32
    let helper: Int32
    let registry = StreamRegistry()
    let relay: DatagramRelay
    private let thread: RelayThread

    init(policy: RetryPolicy = .wait, injection: FaultInjection? = nil, poller: PollerKind = .platformDefault,
         writableFault: WritableFault? = nil) throws {
        dir = NSTemporaryDirectory() + "bpdgram-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        helper = try UnixDatagramSocket.bound(to: dir + "/helper.sock", mode: 0o600)
        vmm = try UnixDatagramSocket.bound(to: dir + "/vmm.sock", mode: 0o600)
        relay = try DatagramRelay.unixgram(
            listen: dir + "/vm.sock", connect: dir + "/helper.sock", bindPath: dir + "/out.sock",
            options: DatagramSocketOptions(sendBuffer: 1 << 20, receiveBuffer: 1 << 20, mode: 0o600),
            config: DatagramConfiguration(policy: policy, injection: injection, writableFault: writableFault, poller: poller),
            registry: registry,
            logger: Logger(label: "test"))
        try UnixDatagramSocket.connectSocket(vmm, to: dir + "/vm.sock")
        // The test side blocks: a full queue makes the test wait, never fail.
        for fd in [vmm, helper] { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK) }
        thread = RelayThread(run: relay.run, stop: relay.requestStop)
    }

    /// Stops the relay; false when it did not stop within 10 s.
    @discardableResult
    func stop() -> Bool {
        let stopped = thread.stop()
        close(vmm)
        close(helper)
        try? FileManager.default.removeItem(atPath: dir)
        return stopped
    }

    func send(_ frame: [UInt8]) { precondition(Glibc.send(vmm, frame, frame.count, 0) == frame.count) }

    func receiveAtHelper() -> [UInt8] {
        var buf = [UInt8](repeating: 0, count: 65536)
        let n = recv(helper, &buf, buf.count, 0)
        return Array(buf[0..<max(n, 0)])
    }

    /// Waits (at most 10 s) until the relay has taken `count` frames in, summed over streams.
    func waitForFrames(_ count: UInt64) {
        for _ in 0..<10_000 where framesReceived() < count { usleep(1000) }
    }

    func framesReceived() -> UInt64 {
        registry.snapshot().streams.reduce(0) { $0 + $1.c2s.framesReceived + $1.s2c.framesReceived }
    }
}
