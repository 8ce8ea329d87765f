import Exporter
import Telemetry
import Testing

/// What each path answers, over both transports, with exact bodies and headers.
@Suite final class RoutesTests {
    let dir: TemporaryDirectory
    let server: MetricsServer
    let unix: MetricsEndpoint
    let tcp: MetricsEndpoint

    init() throws {
        dir = try TemporaryDirectory()
        server = try startServer([.unix(path: dir.file("m.sock")), .tcp(host: "127.0.0.1", port: 0)])
        (unix, tcp) = (server.boundAddresses[0], server.boundAddresses[1])
    }

    deinit { server.stop() }

    private var both: [MetricsEndpoint] { [unix, tcp] }

    @Test func metricsIsThePrometheusText() throws {
        let expected = PrometheusTextWriter.render(fixedSnapshot)
        for endpoint in both {
            let response = try fetch(endpoint, get("/metrics"))
            #expect(response.status == 200)
            #expect(response.header("Content-Type") == "text/plain; version=0.0.4; charset=utf-8")
            #expect(response.header("Content-Length") == String(expected.count))
            #expect(response.body == expected)
        }
    }

    @Test func metricsJSONIsTheJSONSnapshot() throws {
        let response = try fetch(unix, get("/metrics.json"))
        #expect(response.status == 200)
        #expect(response.header("Content-Type") == "application/json")
        #expect(response.body == JSONWriter.render(fixedSnapshot))
    }

    @Test func healthz() throws {
        let response = try fetch(tcp, get("/healthz"))
        #expect(response.status == 200)
        #expect(response.header("Content-Type") == "text/plain; charset=utf-8")
        #expect(response.header("Content-Length") == "3")
        #expect(response.text == "ok\n")
    }

    @Test func queryStringIsIgnored() throws {
        let response = try fetch(unix, get("/metrics?name[]=bpagent_bytes_total&x=1"))
        #expect(response.status == 200)
        #expect(response.body == PrometheusTextWriter.render(fixedSnapshot))
    }

    /// HEAD gives GET's headers and no body: the next response on the same connection must
    /// start right after the head.
    @Test(arguments: [
        ("/metrics", PrometheusTextWriter.render(fixedSnapshot).count),
        ("/metrics.json", JSONWriter.render(fixedSnapshot).count),
        ("/healthz", 3),
    ])
    func headHasLengthAndNoBody(path: String, length: Int) throws {
        let connection = try TestConnection(unix)
        try connection.send("HEAD \(path) HTTP/1.1\r\nHost: bpagent\r\n\r\n" + get("/healthz"))
        let head = try connection.readResponse(bodyFollows: false)
        #expect(head.status == 200)
        #expect(head.header("Content-Length") == String(length))
        let next = try connection.readResponse()
        #expect(next.status == 200)
        #expect(next.text == "ok\n")
    }

    @Test func unknownPathIs404() throws {
        let response = try fetch(unix, get("/metrics/extra"))
        #expect(response.status == 404)
        #expect(response.text == "not found: try /metrics, /metrics.json or /healthz\n")
    }

    @Test(arguments: ["POST", "PUT", "DELETE", "OPTIONS"])
    func otherMethodsAre405(method: String) throws {
        let response = try fetch(unix, "\(method) /metrics HTTP/1.1\r\nHost: bpagent\r\nContent-Length: 0\r\n\r\n")
        #expect(response.status == 405)
        #expect(response.header("Allow") == "GET, HEAD")
        #expect(response.text == "method not allowed\n")
    }

    @Test func keepAliveServesTwoRequestsOnOneConnection() throws {
        let connection = try TestConnection(tcp)
        try connection.send(get("/healthz"))
        let first = try connection.readResponse()
        try connection.send(get("/metrics"))
        let second = try connection.readResponse()
        #expect(first.text == "ok\n")
        #expect(first.header("Connection") == nil)
        #expect(second.body == PrometheusTextWriter.render(fixedSnapshot))
    }

    @Test func pipelinedRequestsAreAnsweredInOrder() throws {
        let connection = try TestConnection(unix)
        try connection.send(get("/metrics.json") + get("/healthz") + get("/nope"))
        #expect(try connection.readResponse().body == JSONWriter.render(fixedSnapshot))
        #expect(try connection.readResponse().text == "ok\n")
        #expect(try connection.readResponse().status == 404)
    }

    @Test(arguments: [
        "GET /healthz HTTP/1.1\r\nHost: bpagent\r\nConnection: close\r\n\r\n",
        "GET /healthz HTTP/1.0\r\n\r\n",
    ])
    func connectionCloseEndsTheConnectionAfterTheResponse(request: String) throws {
        let connection = try TestConnection(unix)
        try connection.send(request)
        let response = try connection.readResponse()
        #expect(response.text == "ok\n")
        #expect(response.header("Connection") == "close")
        #expect(try connection.readToEnd() == [])
    }
}
