#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Testing
import Telemetry
@testable import Relay

/// Both readiness APIs report the same, and `--inject no-writable` withholds exactly the
/// writable events it is meant to.
@Suite struct PollerTests {
    static let kinds = PollerKind.allCases.filter(\.isAvailable)

    /// A unix stream socket pair, non-blocking.
    final class Pair {
        let a: Int32, b: Int32
        init() {
            var fds: [Int32] = [0, 0]
            #if canImport(Glibc)
            let type = Int32(SOCK_STREAM.rawValue)
            #else
            let type = SOCK_STREAM
            #endif
            precondition(socketpair(AF_UNIX, type, 0, &fds) == 0)
            (a, b) = (fds[0], fds[1])
            for fd in fds { TCPSocket.setNonBlocking(fd) }
        }
        deinit { close(a); close(b) }
    }

    private func events(_ poller: Poller, timeoutMillis: Int32 = 0) -> [Int32: PollEvent] {
        var seen: [Int32: PollEvent] = [:]
        poller.wait(timeoutMillis: timeoutMillis) { seen[$0.fd] = $0 }
        return seen
    }

    @Test(arguments: kinds)
    func readableAndWritableAsAsked(kind: PollerKind) throws {
        let poller = try Poller(kind: kind)
        let pair = Pair()
        poller.add(pair.a, [.write])
        poller.add(pair.b, [.read])
        #expect(events(poller).keys.sorted() == [pair.a], "a is writable, b has nothing to read")
        #expect(write(pair.a, "x", 1) == 1)
        let both = events(poller)
        #expect(both[pair.a]?.writable == true && both[pair.b]?.readable == true && both[pair.b]?.writable == false)
        poller.modify(pair.a, [])
        poller.remove(pair.b)
        #expect(events(poller).isEmpty)
    }

    @Test(arguments: kinds)
    func withheldUntilTheOwnerStopsAsking(kind: PollerKind) throws {
        let poller = try Poller(kind: kind, writableFault: WritableFault())
        let pair = Pair()
        poller.add(pair.a, [.read, .write])
        #expect(events(poller)[pair.a]?.writable == true, "nothing withheld before a failure")
        poller.writeFailed(pair.a, nowMicros: Clocks.monotonicMicros())
        #expect(events(poller, timeoutMillis: 20)[pair.a] == nil, "writable withheld, nothing to read")
        poller.modify(pair.a, [.read, .write])
        #expect(events(poller)[pair.a] == nil, "still withheld while the owner asks for it")
        poller.modify(pair.a, [.read])
        poller.modify(pair.a, [.read, .write])
        #expect(events(poller)[pair.a]?.writable == true, "a new episode starts unmasked")
    }

    @Test(arguments: kinds)
    func withheldForAWhile(kind: PollerKind) throws {
        let poller = try Poller(kind: kind, writableFault: WritableFault(withholdMicros: 30_000))
        let pair = Pair()
        poller.add(pair.a, [.write])
        poller.writeFailed(pair.a, nowMicros: Clocks.monotonicMicros())
        #expect(events(poller)[pair.a] == nil)
        // The wait itself ends when the mask does; the event follows in the next wait.
        var waits = 0
        while events(poller, timeoutMillis: 1000)[pair.a]?.writable != true {
            waits += 1
            #expect(waits < 10)
            if waits >= 10 { break }
        }
    }

    @Test func retryTimersComeOutEarliestFirst() throws {
        var timers = RetryTimers()
        let config = try RelayConfiguration(listen: SocketAddress(parsing: "127.0.0.1:1"), connect: SocketAddress(parsing: "127.0.0.1:1"))
        let stream = RelayStream(record: StreamRegistry().open(StreamIdentity(id: 0, proto: "tcp", local: "", peer: "")),
                                 client: -1, server: -1, config: config)
        let deadlines: [UInt64] = [50, 10, 40, 10, 30, 20, 60, 5]
        for d in deadlines { timers.schedule(.init(deadline: d, stream: stream, direction: .c2s)) }
        #expect(timers.earliest == 5)
        var popped: [UInt64] = []
        while let e = timers.popDue(nowMicros: 40) { popped.append(e.deadline) }
        #expect(popped == [5, 10, 10, 20, 30, 40])
        #expect(timers.earliest == 50)
    }
}
