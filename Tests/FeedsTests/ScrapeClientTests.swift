#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing
@testable import Feeds

/// Serves a canned response on a real unix socket `count` times, closing each connection
/// (after `holdMillis`); at `path`, or in a new temporary directory.
final class CannedServer: @unchecked Sendable {
    let path: String
    private let fd: Int32
    private let thread: Thread

    static func temporaryPath() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("feeds-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir.appendingPathComponent("s.sock").path
    }

    init(response: [UInt8], holdMillis: UInt32 = 0, count: Int = 1, path: String? = nil) throws {
        let path = try path ?? Self.temporaryPath()
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        withUnsafeMutableBytes(of: &addr.sun_path) { $0.copyBytes(from: bytes) }
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        precondition(bound == 0 && listen(fd, 4) == 0)
        self.path = path
        self.fd = fd
        thread = Thread {
            for _ in 0..<count {
                let c = accept(fd, nil, nil)
                guard c >= 0 else { return }
                var buf = [UInt8](repeating: 0, count: 4096)
                _ = recv(c, &buf, buf.count, 0)
                _ = response.withUnsafeBytes { send(c, $0.baseAddress, $0.count, 0) }
                usleep(holdMillis * 1000)
                close(c)
            }
        }
        thread.start()
    }

    deinit {
        close(fd)
        unlink(path)
    }
}

@Suite struct ScrapeClientTests {
    private func fetch(_ response: String) throws -> [UInt8] {
        let server = try CannedServer(response: Array(response.utf8))
        return try ScrapeClient.fetch(SourceSpec(parsing: "unix:\(server.path)"), timeoutMillis: 5000)
    }

    @Test func contentLengthBody() throws {
        let body = try fetch("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Type: text/plain\r\n\r\na 1\n\nEXTRA")
        #expect(body == Array("a 1\n\n".utf8))
    }

    /// The exposition formats in any spelling pass; another media type is the wrong URL.
    @Test func contentTypeMustBeAnExposition() throws {
        for type in ["text/plain; version=0.0.4; charset=utf-8", "Application/OpenMetrics-Text; version=1.0.0", "text/plain"] {
            #expect(try fetch("HTTP/1.1 200 OK\r\nContent-Type: \(type)\r\nContent-Length: 4\r\n\r\na 1\n") == Array("a 1\n".utf8))
        }
        for type in ["application/json", "text/html; charset=utf-8"] {
            #expect(throws: ScrapeError("not a metrics exposition (Content-Type: \(type))")) {
                try fetch("HTTP/1.1 200 OK\r\nContent-Type: \(type)\r\nContent-Length: 2\r\n\r\n{}")
            }
        }
    }

    @Test func chunkedBody() throws {
        let body = try fetch("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nab c\r\n3;x=y\r\n 1\n\r\n0\r\n\r\n")
        #expect(body == Array("ab c 1\n".utf8))
    }

    /// A complete response is the scrape's end, whether or not the server closes.
    @Test func completeResponseOnAConnectionLeftOpen() throws {
        let server = try CannedServer(response: Array("HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nm 1\n".utf8),
                                      holdMillis: 30_000)
        #expect(try ScrapeClient.fetch(SourceSpec(parsing: "unix:\(server.path)"), timeoutMillis: 20_000) == Array("m 1\n".utf8))
    }

    /// A body that stops arriving ends at the deadline, with that as the error.
    @Test func stalledBodyTimesOut() throws {
        let server = try CannedServer(response: Array("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nm 1\n".utf8),
                                      holdMillis: 5_000)
        #expect { try ScrapeClient.fetch(SourceSpec(parsing: "unix:\(server.path)"), timeoutMillis: 300) } throws: {
            "\($0)" == "timed out after 300 ms"
        }
    }

    @Test func closeDelimitedBody() throws {
        #expect(try fetch("HTTP/1.0 200 OK\r\n\r\nm 2\n") == Array("m 2\n".utf8))
    }

    @Test(arguments: [
        ("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n", "HTTP 404 Not Found"),
        ("garbage", "malformed HTTP response (no header end)"),
        ("SPDY/9 200 OK\r\n\r\n", "malformed HTTP status line"),
        ("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc", "response cut short: 3 of 10 bytes"),
    ])
    func failures(response: String, message: String) {
        #expect { try fetch(response) } throws: { "\($0)" == message }
    }

    @Test func missingSocket() {
        #expect { try ScrapeClient.fetch(SourceSpec(parsing: "unix:/nonexistent/x.sock")) } throws: {
            "\($0)" == "connect: No such file or directory"
        }
    }

    @Test func refusedTCP() throws {
        // Bind a port and close it again: nothing listens there.
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { p -> Int32 in bind(fd, p, len); return getsockname(fd, p, &len) }
        }
        let port = UInt16(bigEndian: addr.sin_port)
        close(fd)
        #expect { try ScrapeClient.fetch(SourceSpec(parsing: "http://127.0.0.1:\(port)/metrics")) } throws: {
            "\($0)" == "connect: Connection refused"
        }
    }
}
