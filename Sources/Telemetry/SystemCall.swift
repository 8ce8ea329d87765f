#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How a system call ended, once interruptions were retried.
public enum SystemCallResult: Equatable, Sendable {
    /// The call's (non-negative) return value.
    case done(Int)
    /// A non-blocking descriptor had nothing to give or no room (EAGAIN or EWOULDBLOCK).
    case wouldBlock
    /// Any other failure, with its errno.
    case failed(Int32)
}

/// The one wrapper around system calls that return -1 and set errno, in the style of
/// swift-nio's `syscall(blocking:)`: EINTR is retried, EAGAIN/EWOULDBLOCK (one meaning, two
/// names) come back as `.wouldBlock`, anything else as `.failed(errno)`. Callers switch on
/// three cases instead of each testing errno; it neither allocates nor throws, so the per-packet
/// paths use it too.
@inline(__always)
public func systemCall(_ call: () -> Int) -> SystemCallResult {
    while true {
        let result = call()
        if result >= 0 { return .done(result) }
        let code = errno
        switch code {
        case EINTR: continue
        case EAGAIN, EWOULDBLOCK: return .wouldBlock
        default: return .failed(code)
        }
    }
}

/// `systemCall` for calls that return an `Int32` (poll, accept, waitpid).
@inline(__always)
public func systemCall(_ call: () -> Int32) -> SystemCallResult {
    systemCall { Int(call()) }
}

/// Where a type's methods must all run on the thread that made it (an event loop): checked
/// in debug builds, so a stray call from another thread traps in tests rather than racing.
public struct ThreadConfinement: Sendable {
    private let owner: pthread_t

    public init() { owner = pthread_self() }

    @inline(__always)
    public func check(_ what: StaticString = #function) {
        assert(pthread_equal(owner, pthread_self()) != 0, "\(what) called off its owning thread")
    }
}
