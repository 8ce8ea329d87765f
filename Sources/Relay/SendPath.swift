#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Telemetry

/// The outcome of one write attempt.
enum SendResult {
    case sent(Int)
    case full(BufferFullCause)
    case failed(Int32)
}

/// The one place where a direction writes to its destination, so fault injection sits
/// exactly where the kernel's answer would.
struct SendPath {
    private let injection: FaultInjection?
    private var operations = 0
    private var injectedLeft = 0

    init(injection: FaultInjection?) {
        self.injection = injection
    }

    /// First attempts of write operations that can be made before the next injected failure.
    var attemptsBeforeInjection: Int {
        guard let injection else { return .max }
        guard injectedLeft == 0 else { return 0 }
        return injection.every - 1 - operations % injection.every
    }

    /// `count` write operations went through elsewhere (a batch), none of them due a failure.
    mutating func countOperations(_ count: Int) {
        operations &+= count
    }

    /// Attempts a write with `write` (which returns what the system call returned);
    /// `isRetry` is false for the first attempt of a write operation.
    mutating func attempt(isRetry: Bool, _ write: () -> Int) -> SendResult {
        if let injection, !isRetry {
            operations &+= 1
            if operations % injection.every == 0 { injectedLeft = injection.burst }
        }
        if injectedLeft > 0 {
            injectedLeft -= 1
            return .full(.enobufs)
        }
        let n = write()
        if n >= 0 { return .sent(n) }
        switch errno {
        case EAGAIN, EWOULDBLOCK: return .full(.eagain)
        case ENOBUFS: return .full(.enobufs)
        case let e: return .failed(e)
        }
    }
}
