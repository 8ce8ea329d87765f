#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Exporter

/// libc's send, under a name the `send` methods below do not shadow.
private func systemSend(_ fd: Int32, _ bytes: UnsafeRawPointer?, _ count: Int, _ flags: Int32) -> Int {
    send(fd, bytes, count, flags)
}

struct TestClientError: Error, CustomStringConvertible {
    let description: String
}

/// One parsed HTTP response.
struct TestResponse {
    var status: Int
    var headers: [(name: String, value: String)]
    var body: [UInt8]

    /// The value of the one header called `name` (case-insensitive); nil if absent or repeated.
    func header(_ name: String) -> String? {
        let values = headers.filter { $0.name.lowercased() == name.lowercased() }.map(\.value)
        return values.count == 1 ? values[0] : nil
    }

    var text: String { String(decoding: body, as: UTF8.self) }
}

/// A blocking client over a real socket: it sends exactly the bytes a test writes and parses
/// only a status line, headers and a Content-Length body, so it cannot hide server mistakes.
/// Every receive gives up after `receiveTimeoutSeconds`, so a server that never answers fails
/// the test instead of hanging it.
final class TestConnection {
    static let receiveTimeoutSeconds = 10

    private let fd: Int32
    /// Bytes received but not yet consumed by a response.
    private var pending: [UInt8] = []
    /// A slow reader: at most `chunk` bytes per receive, then a pause.
    var pace: (chunk: Int, pauseMillis: Int)?

    init(_ endpoint: MetricsEndpoint) throws {
        switch endpoint {
        case .unix(let path):
            fd = try SocketAddressing.connectedSocket(family: AF_UNIX) { fd in
                try SocketAddressing.withUnixAddress(path) { connect(fd, $0, $1) }
            }
        case .tcp(let host, let port):
            fd = try SocketAddressing.connectedSocket(family: AF_INET) { fd in
                try SocketAddressing.withIPv4Address(host, port) { connect(fd, $0, $1) }
            }
        }
        var timeout = timeval(tv_sec: Self.receiveTimeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { close(fd) }

    /// Shrinks the socket's receive buffer, so a reader that does not read holds up the
    /// server's writes within a few kilobytes.
    func setReceiveBuffer(_ bytes: Int32) {
        var size = bytes
        setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
    }

    func send(_ text: String) throws {
        try send(Array(text.utf8))
    }

    func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { systemSend(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { throw TestClientError(description: "send: \(String(cString: strerror(errno)))") }
            offset += n
        }
    }

    /// Reads one response; `bodyFollows` is false after a HEAD request, whose Content-Length
    /// describes a body that is not sent.
    func readResponse(bodyFollows: Bool = true) throws -> TestResponse {
        let headEnd = try receive { Self.endOfHead(in: $0) }
        let lines = String(decoding: pending[..<headEnd], as: UTF8.self).split(separator: "\r\n", omittingEmptySubsequences: false)
        pending.removeFirst(headEnd + 4)
        let statusParts = lines[0].split(separator: " ", maxSplits: 2)
        guard statusParts.count >= 2, statusParts[0].hasPrefix("HTTP/1."), let status = Int(statusParts[1]) else {
            throw TestClientError(description: "bad status line \"\(lines[0])\"")
        }
        let headers = lines.dropFirst().map { line in
            let colon = line.firstIndex(of: ":") ?? line.endIndex
            return (name: String(line[..<colon]), value: String(line[colon...].dropFirst().trimmingPrefix(" ")))
        }
        var response = TestResponse(status: status, headers: headers, body: [])
        let length = bodyFollows ? Int(response.header("Content-Length") ?? "0") ?? 0 : 0
        _ = try receive { $0.count >= length ? length : nil }
        response.body = Array(pending.prefix(length))
        pending.removeFirst(length)
        return response
    }

    /// Everything the server sends until it closes the connection; throws if it does not
    /// close within the receive timeout or resets instead of closing.
    func readToEnd() throws -> [UInt8] {
        while try receiveMore() {}
        defer { pending = [] }
        return pending
    }

    /// Receives until `found` returns non-nil for the bytes so far.
    private func receive<T>(until found: ([UInt8]) -> T?) throws -> T {
        while true {
            if let value = found(pending) { return value }
            guard try receiveMore() else { throw TestClientError(description: "connection closed mid-response") }
        }
    }

    /// One recv into `pending`; false at end of stream.
    private func receiveMore() throws -> Bool {
        if let pace { pause(milliseconds: pace.pauseMillis) }
        var chunk = [UInt8](repeating: 0, count: pace?.chunk ?? 65536)
        let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        guard n >= 0 else {
            let reason = errno == EAGAIN ? "nothing within \(Self.receiveTimeoutSeconds) s" : String(cString: strerror(errno))
            throw TestClientError(description: "recv: \(reason)")
        }
        pending += chunk.prefix(n)
        return n > 0
    }

    private static func endOfHead(in bytes: [UInt8]) -> Int? {
        guard bytes.count >= 4 else { return nil }
        return (0...(bytes.count - 4)).first { bytes[$0..<($0 + 4)].elementsEqual("\r\n\r\n".utf8) }
    }
}

/// Blocks the calling thread (the tests are synchronous, so `Task.sleep` is no use).
func pause(milliseconds: Int) {
    usleep(useconds_t(milliseconds * 1000))
}
