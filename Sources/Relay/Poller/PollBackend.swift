#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Level-triggered readiness with poll(2): O(descriptors) per wait, but everywhere. The
/// macOS path, and on Linux `--poller poll`, so the tests exercise it here too.
final class PollBackend: ReadinessBackend {
    private var interests: [Int32: Interest] = [:]
    private var fds: [pollfd] = []

    func add(_ fd: Int32, _ interest: Interest) { interests[fd] = interest }
    func modify(_ fd: Int32, _ interest: Interest) { interests[fd] = interest }
    func remove(_ fd: Int32) { interests[fd] = nil }

    func wait(timeoutMillis: Int32, _ body: (PollEvent) -> Void) {
        fds.removeAll(keepingCapacity: true)
        for (fd, interest) in interests {
            var events: Int16 = 0
            if interest.contains(.read) { events |= Int16(POLLIN) }
            if interest.contains(.write) { events |= Int16(POLLOUT) }
            fds.append(pollfd(fd: fd, events: events, revents: 0))
        }
        let n = fds.withUnsafeMutableBufferPointer { poll($0.baseAddress, nfds_t($0.count), timeoutMillis) }
        guard n > 0 else { return }
        for p in fds where p.revents != 0 {
            body(PollEvent(fd: p.fd,
                           readable: p.revents & Int16(POLLIN) != 0,
                           writable: p.revents & Int16(POLLOUT) != 0,
                           hangup: p.revents & Int16(POLLERR | POLLHUP | POLLNVAL) != 0))
        }
    }
}
