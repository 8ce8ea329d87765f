#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The send and receive buffer sizes of a datagram socket (unix or UDP), where a relay's
/// kernel queues live: the receive buffer is how much a burst the agent can absorb before the
/// kernel drops, the send buffer how much it can hand on before a send fails with EAGAIN.
enum SocketBuffers {
    /// Sets SO_SNDBUF and SO_RCVBUF (as root beyond the sysctl limits, with the FORCE variants);
    /// returns what the kernel granted (Linux reports double the request, for bookkeeping).
    static func set(_ fd: Int32, send: Int, receive: Int) -> (send: Int, receive: Int) {
        #if os(Linux)
        let options = [(SO_SNDBUFFORCE, SO_SNDBUF, send), (SO_RCVBUFFORCE, SO_RCVBUF, receive)]
        #else
        let options = [(SO_SNDBUF, SO_SNDBUF, send), (SO_RCVBUF, SO_RCVBUF, receive)]
        #endif
        for (force, plain, size) in options {
            var v = Int32(clamping: size)
            if setsockopt(fd, SOL_SOCKET, force, &v, socklen_t(MemoryLayout<Int32>.size)) != 0 {
                _ = setsockopt(fd, SOL_SOCKET, plain, &v, socklen_t(MemoryLayout<Int32>.size))
            }
        }
        return (option(fd, SO_SNDBUF), option(fd, SO_RCVBUF))
    }

    private static func option(_ fd: Int32, _ name: Int32) -> Int {
        var v: Int32 = 0
        var len = socklen_t(MemoryLayout<Int32>.size)
        _ = getsockopt(fd, SOL_SOCKET, name, &v, &len)
        return Int(v)
    }
}
