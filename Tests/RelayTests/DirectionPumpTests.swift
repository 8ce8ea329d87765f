#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Logging
import Testing
import Telemetry
@testable import Relay

/// Drives one pump between two real socket pairs and checks the exact counts it records.
@Suite struct DirectionPumpTests {
    /// Source writer → [pump] → destination reader, all unix stream socket pairs.
    final class Rig {
        let sourceIn: Int32, sourceOut: Int32, destIn: Int32, destOut: Int32
        let counters = DirectionCounters()
        let pump: DirectionPump
        let logger = Logger(label: "test")

        init(policy: RetryPolicy, injection: FaultInjection?, sendBuffer: Int32? = nil, copy: CopyMode = .buffer) {
            var a: [Int32] = [0, 0], b: [Int32] = [0, 0]
            #if canImport(Glibc)
            let type = Int32(SOCK_STREAM.rawValue)
            #else
            let type = SOCK_STREAM
            #endif
            precondition(socketpair(AF_UNIX, type, 0, &a) == 0 && socketpair(AF_UNIX, type, 0, &b) == 0)
            (sourceIn, sourceOut, destIn, destOut) = (a[0], a[1], b[0], b[1])
            for fd in [sourceIn, sourceOut, destIn, destOut] { TCPSocket.setNonBlocking(fd) }
            if let sendBuffer { TCPSocket.setOption(destIn, SOL_SOCKET, SO_SNDBUF, sendBuffer) }
            pump = DirectionPump(counters: counters, label: "test", capacity: 64 * 1024, copy: copy, policy: policy, injection: injection)
        }

        deinit { [sourceIn, sourceOut, destIn, destOut].forEach { close($0) } }

        func feed(_ bytes: [UInt8]) { #expect(write(sourceIn, bytes, bytes.count) == bytes.count) }

        func fill() {
            if case .data = pump.fill(from: sourceOut) {} else { Issue.record("expected data") }
        }

        func flush() -> DirectionPump.FlushOutcome { pump.flush(to: destIn, logger: logger) }

        func drain() -> [UInt8] {
            var out: [UInt8] = [], buf = [UInt8](repeating: 0, count: 65536)
            while true {
                let n = read(destOut, &buf, buf.count)
                if n <= 0 { return out }
                out += buf[0..<n]
            }
        }
    }

    private func chunk(_ i: Int, _ size: Int = 1000) -> [UInt8] { (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ i) } }

    @Test(arguments: CopyMode.allCases)
    func spinWithInjectionCountsExactly(copy: CopyMode) {
        let rig = Rig(policy: .spin, injection: FaultInjection(every: 2, burst: 3), copy: copy)
        var sent: [UInt8] = []
        for i in 0..<10 {
            rig.feed(chunk(i)); sent += chunk(i)
            rig.fill()
            guard case .drained = rig.flush() else { Issue.record("not drained"); return }
        }
        let s = rig.counters.snapshot()
        #expect(rig.drain() == sent)
        #expect(s.bytes == 10_000)
        #expect(s.writes == 10)
        #expect(s.bufferFull == PerCause(eagain: 0, enobufs: 5))
        #expect(s.retries == PerCause(eagain: 0, enobufs: 15))
        #expect(s.retriesPerEventMax == 3)
        #expect(s.stallCount == 5)
        #expect(s.queuedBytes == 0)
    }

    @Test func waitReturnsToTheLoopOnEveryFailure() {
        let rig = Rig(policy: .wait, injection: FaultInjection(every: 1, burst: 2))
        rig.feed(chunk(1)); rig.fill()
        guard case .blocked = rig.flush() else { Issue.record("first attempt should block"); return }
        #expect(rig.pump.wantsWrite && !rig.pump.wantsRead)
        #expect(rig.counters.queuedBytes.relaxed == 1000)
        guard case .blocked = rig.flush() else { Issue.record("second attempt should block"); return }
        guard case .drained = rig.flush() else { Issue.record("third attempt should write"); return }
        let s = rig.counters.snapshot()
        #expect(s.bufferFull.enobufs == 1)
        #expect(s.retries.enobufs == 2)
        #expect(s.writes == 1 && s.bytes == 1000 && s.queuedBytes == 0)
        #expect(rig.drain() == chunk(1))
    }

    @Test(arguments: CopyMode.allCases)
    func realEAGAINFromAFullSocket(copy: CopyMode) {
        let rig = Rig(policy: .wait, injection: nil, sendBuffer: 4096, copy: copy)
        var sent: [UInt8] = []
        var blocked = false
        for i in 0..<64 where !blocked {
            rig.feed(chunk(i)); sent += chunk(i); rig.fill()
            if case .blocked = rig.flush() { blocked = true }
        }
        #expect(blocked)
        var received = rig.drain()
        guard case .drained = rig.flush() else { Issue.record("should drain once the reader read"); return }
        received += rig.drain()
        let s = rig.counters.snapshot()
        #expect(received == sent)
        #expect(s.bytes == UInt64(sent.count))
        #expect(s.bufferFull == PerCause(eagain: 1, enobufs: 0))
        #expect(s.retries == PerCause(eagain: 1, enobufs: 0))
        #expect(s.stallCount == 1 && s.retriesPerEventMax == 1)
    }

    @Test(arguments: CopyMode.allCases)
    func sleepBudgetDropsAndCounts(copy: CopyMode) {
        let rig = Rig(policy: .sleep(micros: 1, maxRetries: 2), injection: FaultInjection(every: 2, burst: 5), copy: copy)
        rig.feed(chunk(0)); rig.fill(); _ = rig.flush()
        rig.feed(chunk(1, 700)); rig.fill()
        guard case .drained = rig.flush() else { Issue.record("a drop leaves nothing queued"); return }
        let s = rig.counters.snapshot()
        #expect(rig.drain() == chunk(0))
        #expect(s.writes == 1 && s.bytes == 1000)
        #expect(s.bufferFull.enobufs == 1 && s.retries.enobufs == 2)
        #expect(s.drops == PerReason(policy: 0, retryBudget: 1))
        #expect(s.dropBytes == PerReason(policy: 0, retryBudget: 700))
        #expect(s.retriesPerEventMax == 2 && s.stallCount == 1)
    }

    @Test func dropPolicyGivesUpAtOnce() {
        let rig = Rig(policy: .drop, injection: FaultInjection(every: 1, burst: 1))
        rig.feed(chunk(0, 300)); rig.fill()
        guard case .drained = rig.flush() else { Issue.record("drained"); return }
        let s = rig.counters.snapshot()
        #expect(s.writes == 0 && s.bufferFull.enobufs == 1 && s.retries.total == 0)
        #expect(s.drops == PerReason(policy: 1, retryBudget: 0) && s.dropBytes.policy == 300)
    }
}

extension DirectionPumpTests {
    @Test func anAbandonedEpisodeStillGetsItsStall() {
        let rig = Rig(policy: .wait, injection: FaultInjection(every: 1, burst: 5))
        rig.feed(chunk(0)); rig.fill()
        _ = rig.flush(); _ = rig.flush()
        rig.pump.abandonEpisode(logger: rig.logger)
        let s = rig.counters.snapshot()
        #expect(s.bufferFull.enobufs == 1 && s.retries.enobufs == 1)
        #expect(s.stallCount == 1 && s.retriesPerEventMax == 1)
        rig.pump.abandonEpisode(logger: rig.logger)
        #expect(rig.counters.snapshot().stallCount == 1, "only once")
    }
}
