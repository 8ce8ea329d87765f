#if os(Linux)
import Glibc
import CSystemShims

/// Level-triggered readiness with epoll(7): O(ready) per wait, the Linux default.
final class EpollBackend: ReadinessBackend {
    private let epfd: Int32
    private var raw: [epoll_event]

    init(capacity: Int) throws(SystemError) {
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
}
#endif
