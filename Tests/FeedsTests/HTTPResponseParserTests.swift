import Testing
@testable import Feeds

/// Bytes from the network never trap the parser: every malformed response is one clear error.
@Suite struct HTTPResponseParserTests {
    private func body(_ response: String) throws(ScrapeError) -> String {
        String(decoding: try HTTPResponseParser.body(of: Array(response.utf8)), as: UTF8.self)
    }

    private static let chunkedHead = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"

    /// The crashes of issue 16 (SIGILL in bptop), each now an error.
    @Test(arguments: [
        (chunkedHead + "\r\n", "malformed chunk size"),
        (chunkedHead, "response ended before the chunked body did"),
        (chunkedHead + "7fffffffffffffff\r\nabc", "response body larger than the 64 MiB limit"),
        (chunkedHead + "ffffffffffffffffff\r\nabc", "malformed chunk size"),
        (chunkedHead + "3\r\nabc", "response ended before the chunked body did"),
        (chunkedHead + "3\r\nabcXY0\r\n\r\n", "malformed chunked body (no CRLF after a chunk)"),
        ("HTTP/1.1 200 OK\r\nContent-Length: -5\r\n\r\nabc", "malformed Content-Length: -5"),
    ])
    func reportedCrashes(response: String, message: String) {
        #expect { try body(response) } throws: { "\($0)" == message }
    }

    @Test(arguments: [
        ("", "malformed HTTP response (no header end)"),
        ("HTTP/1.1 200 OK\r\n", "malformed HTTP response (no header end)"),
        ("\r\n\r\n", "malformed HTTP status line"),
        ("HTTP/1.1\r\n\r\n", "malformed HTTP status line"),
        ("HTTP/1.1 abc OK\r\n\r\n", "malformed HTTP status line"),
        ("HTTP/1.1 2000 OK\r\n\r\n", "malformed HTTP status line"),
        ("HTTP/1.1 500 Internal Server Error\r\n\r\n", "HTTP 500 Internal Server Error"),
        ("HTTP/1.1 200 OK\r\nContent-Length: +5\r\n\r\nabcde", "malformed Content-Length: +5"),
        ("HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999999\r\n\r\n",
         "response body larger than the 64 MiB limit"),
        ("HTTP/1.1 200 OK\r\nContent-Length: 67108865\r\n\r\n", "response body larger than the 64 MiB limit"),
        ("HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd", "conflicting Content-Length headers"),
        ("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc", "response cut short: 3 of 10 bytes"),
        ("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n", "unsupported Transfer-Encoding: gzip, chunked"),
        ("HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: 2\r\n\r\n\u{1f}\u{7f}", "unsupported Content-Encoding: gzip"),
        (chunkedHead + "-1\r\n", "malformed chunk size"),
        (chunkedHead + "+1\r\na\r\n0\r\n\r\n", "malformed chunk size"),
        (chunkedHead + " \r\n", "malformed chunk size"),
        (chunkedHead + "zz\r\n", "malformed chunk size"),
        (chunkedHead + "0", "response ended before the chunked body did"),
    ])
    func malformed(response: String, message: String) {
        #expect { try body(response) } throws: { "\($0)" == message }
    }

    @Test(arguments: [
        ("HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\na 1\nEXTRA", "a 1\n"),
        ("HTTP/1.1 200 OK\r\ncontent-length:  0 \r\n\r\n", ""),
        ("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nab", "ab"),
        ("HTTP/1.0 200 OK\r\n\r\nm 2\n", "m 2\n"),
        ("HTTP/1.1 200\r\nX-No-Colon\r\n\r\nm 3\n", "m 3\n"),
        (chunkedHead + "4\r\nab c\r\n3;x=y\r\n 1\n\r\n0\r\n\r\n", "ab c 1\n"),
        (chunkedHead + "A\r\n0123456789\r\n0\r\nTrailer: x\r\n\r\n", "0123456789"),
        (chunkedHead + "1\r\nz\r\n0\r\n", "z"),
        (chunkedHead + "0000000000000000000002\r\nok\r\n0\r\n\r\n", "ok"),
        ("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", "ok"),
        ("HTTP/1.1 200 OK\r\nContent-Encoding: identity\r\nTransfer-Encoding: Chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n", "ok"),
    ])
    func wellFormed(response: String, expected: String) throws {
        #expect(try body(response) == expected)
    }

    /// Fed a byte at a time, the parser finishes exactly where the response does, without
    /// waiting for the connection to close.
    @Test(arguments: [
        ("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc", "abc"),
        (chunkedHead + "3\r\nabc\r\n0\r\n\r\n", "abc"),
    ])
    func completesWithoutTheClose(response: String, expected: String) throws {
        var parser = HTTPResponseParser()
        let bytes = Array(response.utf8)
        for (i, byte) in bytes.enumerated() {
            let body = try parser.append([byte])
            #expect((body != nil) == (i == bytes.count - 1), "byte \(i)")
            if let body { #expect(String(decoding: body, as: UTF8.self) == expected) }
        }
    }

    /// A close-delimited body and a chunked one stop at the limit, not at the end of memory.
    @Test func bodiesAboveTheLimitStop() {
        var plain = HTTPResponseParser(maxBodyBytes: 10)
        #expect(throws: ScrapeError("response body larger than the 10 B limit")) {
            _ = try plain.append(Array("HTTP/1.0 200 OK\r\n\r\n".utf8) + [UInt8](repeating: 65, count: 11))
        }
        var chunked = HTTPResponseParser(maxBodyBytes: 10)
        #expect(throws: ScrapeError("response body larger than the 10 B limit")) {
            _ = try chunked.append(Array((Self.chunkedHead + "6\r\nabcdef\r\n5\r\n").utf8))
        }
        var header = HTTPResponseParser()
        #expect(throws: ScrapeError("HTTP header larger than 64 KiB")) {
            _ = try header.append(Array("HTTP/1.1 200 OK\r\n".utf8) + [UInt8](repeating: 65, count: 70_000))
        }
    }
}
