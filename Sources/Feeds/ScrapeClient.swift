#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A blocking HTTP/1.1 GET over a unix socket or TCP, bounded in time and size. bptop
/// scrapes from its own collector thread, so blocking (with a deadline) is the simple and
/// honest choice.
public enum ScrapeClient {
    /// A body larger than this is refused (an error for that scrape of that source) rather
    /// than read into memory: 64 MiB holds bpagent's export of 10,000 streams (52 MB).
    public static let maxBodyBytes = 64 << 20

    /// The text format, with metric and label names as the exporter has them: current
    /// Prometheus libraries then write names outside `[a-zA-Z_:][a-zA-Z0-9_:]*` quoted
    /// (`{"my.metric"}`) instead of replacing their dots with underscores.
    static let accept = "text/plain;version=0.0.4;escaping=allow-utf-8"

    /// The body of a 200 response.
    public static func fetch(_ source: SourceSpec, timeoutMillis: Int32 = 5000) throws(ScrapeError) -> [UInt8] {
        try fetch(source, path: source.path, accept: accept, mediaTypes: HTTPResponseParser.expositionTypes, timeoutMillis: timeoutMillis)
    }

    /// GET `path` of `source`'s server, the body required to be one of `mediaTypes`.
    static func fetch(_ source: SourceSpec, path: String, accept: String, mediaTypes: [String],
                      timeoutMillis: Int32) throws(ScrapeError) -> [UInt8] {
        let deadline = Deadline(millis: timeoutMillis)
        let fd = try connect(source, deadline: deadline)
        defer { close(fd) }
        let host: String
        switch source.transport {
        case .unix: host = "localhost"
        case .tcp(let h, let p): host = h.contains(":") ? "[\(h)]:\(p)" : "\(h):\(p)"
        case .lines: host = "localhost"
        }
        let request = Array("GET \(path) HTTP/1.1\r\nHost: \(host)\r\nUser-Agent: bptop\r\nAccept: \(accept)\r\nConnection: close\r\n\r\n".utf8)
        try writeAll(fd, request, deadline: deadline)
        return try readResponse(fd, deadline: deadline, mediaTypes: mediaTypes)
    }

    private static func connect(_ source: SourceSpec, deadline: Deadline) throws(ScrapeError) -> Int32 {
        switch source.transport {
        case .unix(let path):
            var addr = sockaddr_un()
            addr.sun_family = sa_family_t(AF_UNIX)
            let bytes = Array(path.utf8)
            guard bytes.count < MemoryLayout.size(ofValue: addr.sun_path) else { throw ScrapeError("socket path too long: \(path)") }
            withUnsafeMutableBytes(of: &addr.sun_path) { $0.copyBytes(from: bytes) }
            let fd = socket(AF_UNIX, streamType, 0)
            guard fd >= 0 else { throw ScrapeError(errno: errno, "socket") }
            let rc = withUnsafePointer(to: &addr) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    systemConnect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
                }
            }
            if rc != 0 {
                let e = errno
                close(fd)
                throw ScrapeError(errno: e, "connect")
            }
            setNonBlocking(fd)
            return fd
        case .lines(let path):
            throw ScrapeError("\(path) is read as lines, not over HTTP")
        case .tcp(let host, let port):
            var hints = addrinfo()
            hints.ai_socktype = streamType
            hints.ai_flags = AI_NUMERICSERV
            var result: UnsafeMutablePointer<addrinfo>?
            guard getaddrinfo(host, String(port), &hints, &result) == 0, let first = result else {
                throw ScrapeError("cannot resolve \(host)")
            }
            defer { freeaddrinfo(result) }
            let fd = socket(first.pointee.ai_family, streamType, 0)
            guard fd >= 0 else { throw ScrapeError(errno: errno, "socket") }
            setNonBlocking(fd)
            if systemConnect(fd, first.pointee.ai_addr, first.pointee.ai_addrlen) != 0 {
                guard errno == EINPROGRESS else {
                    let e = errno
                    close(fd)
                    throw ScrapeError(errno: e, "connect")
                }
                do throws(ScrapeError) {
                    try wait(fd, events: Int16(POLLOUT), deadline: deadline)
                } catch {
                    close(fd)
                    throw error
                }
                var err: Int32 = 0
                var len = socklen_t(MemoryLayout<Int32>.size)
                getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len)
                if err != 0 {
                    close(fd)
                    throw ScrapeError(errno: err, "connect")
                }
            }
            return fd
        }
    }

    #if canImport(Glibc)
    private static let streamType = Int32(SOCK_STREAM.rawValue)
    #else
    private static let streamType = SOCK_STREAM
    #endif

    private static func systemConnect(_ fd: Int32, _ addr: UnsafePointer<sockaddr>, _ len: socklen_t) -> Int32 {
        #if canImport(Glibc)
        Glibc.connect(fd, addr, len)
        #else
        Darwin.connect(fd, addr, len)
        #endif
    }

    private static func setNonBlocking(_ fd: Int32) {
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
    }

    private static func wait(_ fd: Int32, events: Int16, deadline: Deadline) throws(ScrapeError) {
        while true {
            let left = deadline.remainingMillis
            guard left > 0 else { throw deadline.timedOut }
            var p = pollfd(fd: fd, events: events, revents: 0)
            let n = poll(&p, 1, left)
            if n > 0 { return }
            if n < 0 && errno != EINTR { throw ScrapeError(errno: errno, "poll") }
        }
    }

    private static func writeAll(_ fd: Int32, _ bytes: [UInt8], deadline: Deadline) throws(ScrapeError) {
        var offset = 0
        while offset < bytes.count {
            #if os(Linux)
            let n = bytes[offset...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            #else
            let n = bytes[offset...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
            #endif
            if n > 0 { offset += n; continue }
            guard n < 0, errno == EAGAIN || errno == EINTR else { throw ScrapeError(errno: errno, "send") }
            try wait(fd, events: Int16(POLLOUT), deadline: deadline)
        }
    }

    /// Reads until the response is complete (without waiting for the close when its length
    /// is known), the body passes `maxBodyBytes`, or the deadline passes: a server that sends
    /// for ever, quickly or slowly, costs at most the limit and the deadline.
    private static func readResponse(_ fd: Int32, deadline: Deadline, mediaTypes: [String]) throws(ScrapeError) -> [UInt8] {
        var parser = HTTPResponseParser(mediaTypes: mediaTypes)
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n > 0 {
                if let body = try parser.append(chunk[0..<n]) { return body }
                guard deadline.remainingMillis > 0 else { throw deadline.timedOut }
                continue
            }
            if n == 0 { return try parser.finish() }
            guard errno == EAGAIN || errno == EINTR else { throw ScrapeError(errno: errno, "recv") }
            try wait(fd, events: Int16(POLLIN), deadline: deadline)
        }
    }
}

/// A point in monotonic time by which a scrape must be done.
struct Deadline {
    let totalMillis: Int32
    private let end: UInt64

    init(millis: Int32) {
        totalMillis = millis
        end = Deadline.nowMillis() + UInt64(max(millis, 0))
    }

    var timedOut: ScrapeError { ScrapeError("timed out after \(totalMillis) ms") }

    var remainingMillis: Int32 {
        let now = Deadline.nowMillis()
        return now >= end ? 0 : Int32(end - now)
    }

    static func nowMillis() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1000 + UInt64(ts.tv_nsec / 1_000_000)
    }
}

/// Why a scrape failed, in one line ("connection refused", "HTTP 404").
public struct ScrapeError: Error, CustomStringConvertible, Sendable, Equatable {
    public let description: String

    init(_ message: String) {
        description = message
    }

    init(errno code: Int32, _ what: String) {
        description = "\(what): \(String(cString: strerror(code)))"
    }
}
