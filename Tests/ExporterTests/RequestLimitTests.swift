import Exporter
import Testing

/// Requests the server refuses or gives up on, each ending only its own connection.
@Suite final class RequestLimitTests {
    let dir: TemporaryDirectory
    let server: MetricsServer
    let endpoint: MetricsEndpoint

    init() throws {
        dir = try TemporaryDirectory()
        endpoint = .unix(path: dir.file("m.sock"))
        server = try startServer([endpoint], idleTimeout: .milliseconds(200))
    }

    deinit { server.stop() }

    /// Sends `request`, expects one response with `status` and then the server closing.
    private func expectRefusal(_ request: String, status: Int, body: String) throws {
        let connection = try TestConnection(endpoint)
        try connection.send(request)
        let response = try connection.readResponse()
        #expect(response.status == status)
        #expect(response.header("Connection") == "close")
        #expect(response.text == body)
        #expect(try connection.readToEnd() == [])
        #expect(try fetch(endpoint, get("/healthz")).text == "ok\n")
    }

    /// Far over the limit, so the client is still sending when the 431 goes out: the server
    /// must keep reading (not reset) until the client has read the answer.
    @Test(arguments: [9 * 1024, 256 * 1024])
    func oversizeHeaderIs431(size: Int) throws {
        let big = String(repeating: "a", count: size)
        try expectRefusal("GET /metrics HTTP/1.1\r\nHost: bpagent\r\nX-Big: \(big)\r\n\r\n", status: 431,
                          body: "request head too large: at most 8192 bytes in 64 header fields\n")
    }

    @Test func tooManyHeadersIs431() throws {
        let headers = (1...65).map { "X-H\($0): v\r\n" }.joined()
        try expectRefusal("GET /metrics HTTP/1.1\r\n\(headers)\r\n", status: 431,
                          body: "request head too large: at most 8192 bytes in 64 header fields\n")
    }

    @Test func sixtyFourHeadersAreFine() throws {
        let headers = (1...63).map { "X-H\($0): v\r\n" }.joined()
        #expect(try fetch(endpoint, "GET /healthz HTTP/1.1\r\nHost: bpagent\r\n\(headers)\r\n").status == 200)
    }

    @Test(arguments: [
        "GET /metrics HTTP/1.1\r\nHost: bpagent\r\nContent-Length: 5\r\n\r\nhello",
        "POST /metrics HTTP/1.1\r\nHost: bpagent\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
    ])
    func requestBodyIsRefused(request: String) throws {
        try expectRefusal(request, status: 413, body: "request bodies are not accepted\n")
    }

    @Test(arguments: [
        "\u{16}\u{03}\u{01}\u{02}\u{00}\u{01}\u{00}\u{01}\u{fc}\u{03}\u{03}\r\n\r\n",
        "HELLO\r\n\r\n",
        "GET /metrics HTTP/9.9\r\n\r\n",
    ])
    func garbageIs400(request: String) throws {
        try expectRefusal(request, status: 400, body: "malformed HTTP request\n")
    }

    @Test func silentClientIsClosed() throws {
        let connection = try TestConnection(endpoint)
        #expect(try connection.readToEnd() == [])
        #expect(server.exporterSnapshot[closed: .requestTimeout] == 1)
    }

    @Test func clientThatNeverFinishesItsRequestIsClosed() throws {
        let connection = try TestConnection(endpoint)
        try connection.send("GET /metrics HTTP/1.1\r\nHost: bpa")
        #expect(try connection.readToEnd() == [])
        #expect(server.exporterSnapshot[closed: .requestTimeout] == 1)
    }

    @Test func idleKeepAliveConnectionIsClosedAfterItsResponse() throws {
        let connection = try TestConnection(endpoint)
        try connection.send(get("/healthz"))
        #expect(try connection.readResponse().text == "ok\n")
        #expect(try connection.readToEnd() == [])
    }

    @Test func slowClientDoesNotHoldUpOthers() throws {
        let slow = try TestConnection(endpoint)
        try slow.send("GET /metrics HTTP/1.1\r\n")
        #expect(try fetch(endpoint, get("/healthz")).text == "ok\n")
        #expect(try slow.readToEnd() == [])
    }
}
