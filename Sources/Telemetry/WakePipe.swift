#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Wakes a thread that sleeps in poll(2) from any other thread (a signal handler's queue, a
/// collector, a test): a pipe whose read end the sleeper polls. Both ends are non-blocking,
/// so a burst of wake-ups never blocks the waker and one drain clears them all.
public final class WakePipe: Sendable {
    public let readFD: Int32
    private let writeFD: Int32

    /// Nil when the process has no descriptors left.
    public init?() {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { return nil }
        readFD = fds[0]
        writeFD = fds[1]
        for fd in fds { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }
    }

    deinit {
        close(readFD)
        close(writeFD)
    }

    public func wake() {
        var b: UInt8 = 1
        _ = write(writeFD, &b, 1)
    }

    /// Consumes every pending wake-up.
    public func drain() {
        var buf = [UInt8](repeating: 0, count: 64)
        while read(readFD, &buf, buf.count) > 0 {}
    }
}
