#if canImport(Glibc)
import Glibc
import CSystemShims
#elseif canImport(Darwin)
import Darwin
#endif

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

/// The only platform-specific part of the relay: level-triggered readiness for many
/// descriptors. epoll on Linux; poll(2) elsewhere (macOS), which is O(n) but has the same
/// semantics.
final class Poller {
    #if os(Linux)
    private let epfd: Int32
    private var raw: [epoll_event]

    init(capacity: Int = 256) throws(SystemError) {
        epfd = epoll_create1(Int32(EPOLL_CLOEXEC))
        guard epfd >= 0 else { throw SystemError("epoll_create1") }
        raw = Array(repeating: epoll_event(), count: capacity)
    }

    deinit { close(epfd) }

    private func control(_ op: Int32, _ fd: Int32, _ interest: Interest) {
        var ev = epoll_event()
        var mask: UInt32 = 0
        if interest.contains(.read) { mask |= EPOLLIN.rawValue }
        if interest.contains(.write) { mask |= EPOLLOUT.rawValue }
        ev.events = mask
        ev.data.fd = fd
        _ = epoll_ctl(epfd, op, fd, &ev)
    }

    func add(_ fd: Int32, _ interest: Interest) { control(EPOLL_CTL_ADD, fd, interest) }
    func modify(_ fd: Int32, _ interest: Interest) { control(EPOLL_CTL_MOD, fd, interest) }
    func remove(_ fd: Int32) { control(EPOLL_CTL_DEL, fd, []) }

    /// Waits up to `timeoutMillis` (-1: forever) and hands each ready descriptor to `body`.
    func wait(timeoutMillis: Int32, _ body: (PollEvent) -> Void) {
        let n = raw.withUnsafeMutableBufferPointer { epoll_wait(epfd, $0.baseAddress, Int32($0.count), timeoutMillis) }
        guard n > 0 else { return }
        for i in 0..<Int(n) {
            let e = raw[i].events
            body(PollEvent(fd: raw[i].data.fd,
                           readable: e & EPOLLIN.rawValue != 0,
                           writable: e & EPOLLOUT.rawValue != 0,
                           hangup: e & (EPOLLERR.rawValue | EPOLLHUP.rawValue) != 0))
        }
    }
    #else
    private var interests: [Int32: Interest] = [:]
    private var fds: [pollfd] = []

    init(capacity: Int = 256) throws(SystemError) {}

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
                           hangup: p.revents & Int16(POLLERR | POLLHUP) != 0))
        }
    }
    #endif
}
