#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Telemetry

/// What a descriptor is waited on for.
struct Interest: OptionSet, Sendable {
    let rawValue: UInt8
    static let read = Interest(rawValue: 1)
    static let write = Interest(rawValue: 2)
}

/// One readiness report. `hangup` covers errors and hang-ups, which are reported whatever
/// the interest; the owner finds out which by reading or by SO_ERROR.
struct PollEvent {
    var fd: Int32
    var readable: Bool
    var writable: Bool
    var hangup: Bool
}

/// A readiness API: level-triggered, one registration per descriptor.
protocol ReadinessBackend: AnyObject {
    func add(_ fd: Int32, _ interest: Interest)
    func modify(_ fd: Int32, _ interest: Interest)
    func remove(_ fd: Int32)
    /// Waits up to `timeoutMillis` (-1: forever) and hands each ready descriptor to `body`.
    func wait(timeoutMillis: Int32, _ body: (PollEvent) -> Void)
}

/// Which readiness API a relay's loop uses (`--poller`).
public enum PollerKind: String, Sendable, CaseIterable {
    /// epoll(7), Linux only.
    case epoll
    /// poll(2), what macOS uses.
    case poll

    public static var platformDefault: PollerKind {
        #if os(Linux)
        .epoll
        #else
        .poll
        #endif
    }

    /// Whether this platform has it.
    public var isAvailable: Bool {
        #if os(Linux)
        true
        #else
        self == .poll
        #endif
    }
}

/// The only platform-specific part of the relays: level-triggered readiness for many
/// descriptors, through epoll or poll(2) (chosen at run time, so Linux tests cover both).
///
/// With `--inject no-writable` it also plays the bug libkrun met on macOS: after a write
/// fails with a full buffer, the destination's writable event does not come (until the
/// owner stops asking for it, or for a while). The owner reports each such failure with
/// `writeFailed`; everything else is passed straight to the backend.
final class Poller {
    private let backend: any ReadinessBackend
    private var fault: WithheldWritable?

    init(kind: PollerKind = .platformDefault, writableFault: WritableFault? = nil, capacity: Int = 256) throws(SystemError) {
        switch kind {
        case .poll:
            backend = PollBackend()
        case .epoll:
            #if os(Linux)
            backend = try EpollBackend(capacity: capacity)
            #else
            throw SystemError("epoll", code: ENOSYS)
            #endif
        }
        fault = writableFault.map(WithheldWritable.init)
    }

    func add(_ fd: Int32, _ interest: Interest) {
        backend.add(fd, fault?.register(fd, interest) ?? interest)
    }

    func modify(_ fd: Int32, _ interest: Interest) {
        backend.modify(fd, fault?.register(fd, interest) ?? interest)
    }

    func remove(_ fd: Int32) {
        fault?.forget(fd)
        backend.remove(fd)
    }

    /// A write to `fd` just failed with a full buffer: under `--inject no-writable` its
    /// writable event is withheld from now on.
    func writeFailed(_ fd: Int32, nowMicros: UInt64) {
        guard let interest = fault?.withhold(fd, nowMicros: nowMicros) else { return }
        backend.modify(fd, interest)
    }

    /// Waits up to `timeoutMillis` (-1: forever) and hands each ready descriptor to `body`.
    func wait(timeoutMillis: Int32, _ body: (PollEvent) -> Void) {
        guard fault != nil else { return backend.wait(timeoutMillis: timeoutMillis, body) }
        backend.wait(timeoutMillis: fault!.timeout(timeoutMillis, nowMicros: Clocks.monotonicMicros()), body)
        for (fd, interest) in fault!.expire(nowMicros: Clocks.monotonicMicros()) { backend.modify(fd, interest) }
    }
}
