import Foundation
@testable import Exporter
import Telemetry
import Testing

/// Which format and encoding a scraper gets, from its headers.
@Suite struct ContentNegotiationTests {
    static let prometheus242 =
        "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1"

    @Test(arguments: [
        (prometheus242, true),
        ("application/openmetrics-text", true),
        ("application/openmetrics-text; version=\"1.0.0\"; charset=utf-8", true),
        ("text/plain;q=0.4, Application/OpenMetrics-Text;q=0.5", true),
        ("application/openmetrics-text;q=0.1, text/plain;q=0.5", false),
        ("application/openmetrics-text;version=2.0.0", false),
        ("application/openmetrics-text;q=0", false),
        ("text/plain", false),
        ("*/*", false),
        ("", false),
    ])
    func openMetricsOnlyWhenAskedFor(accept: String, expected: Bool) {
        #expect(ContentNegotiation.prefersOpenMetrics(accept.isEmpty ? [] : [accept]) == expected)
    }

    @Test(arguments: [
        ("gzip", true),
        ("GZIP", true),
        ("deflate, gzip;q=1.0, *;q=0.5", true),
        ("*", true),
        ("br, *;q=0.2", true),
        ("gzip;q=0", false),
        ("gzip;q=0, *", false),
        ("identity", false),
        ("br", false),
        ("", false),
    ])
    func gzipOnlyWhenAccepted(acceptEncoding: String, expected: Bool) {
        #expect(ContentNegotiation.acceptsGzip(acceptEncoding.isEmpty ? [] : [acceptEncoding]) == expected)
    }
}

/// The two dialects and gzip over a real socket; gzip is undone by the system's `gzip -dc`.
@Suite final class NegotiatedResponseTests {
    let dir: TemporaryDirectory
    let server: MetricsServer
    let endpoint: MetricsEndpoint

    init() throws {
        dir = try TemporaryDirectory()
        endpoint = .unix(path: dir.file("m.sock"))
        server = try startServer([endpoint], snapshot: { _ in largeSnapshot })
    }

    deinit { server.stop() }

    private func request(_ headers: String, method: String = "GET") -> String {
        "\(method) /metrics HTTP/1.1\r\nHost: bpagent\r\n\(headers)\r\n"
    }

    @Test func prometheusAskingForOpenMetricsGetsIt() throws {
        let response = try fetch(endpoint, request("Accept: \(ContentNegotiationTests.prometheus242)\r\n"))
        #expect(response.header("Content-Type") == "application/openmetrics-text; version=1.0.0; charset=utf-8")
        #expect(response.header("Content-Encoding") == nil)
        #expect(response.header("Vary") == "Accept, Accept-Encoding")
        #expect(response.body == OpenMetricsWriter.render(largeSnapshot))
        #expect(server.exporterSnapshot[.openMetrics, gzip: false] == 1)
        #expect(server.exporterSnapshot[.text, gzip: false] == 0)
    }

    /// 2 MB over several 1 MiB pieces of input: the gzip stream spans them and inflates back
    /// to exactly the text.
    @Test(arguments: [("", PrometheusTextWriter.render(largeSnapshot)),
                      ("Accept: application/openmetrics-text\r\n", OpenMetricsWriter.render(largeSnapshot))])
    func gzipInflatesToTheText(accept: String, text: [UInt8]) throws {
        let response = try fetch(endpoint, request("\(accept)Accept-Encoding: gzip\r\n"))
        #expect(response.status == 200)
        #expect(response.header("Content-Encoding") == "gzip")
        #expect(response.body.count < text.count / 8)
        #expect(try gunzip(response.body) == text)
    }

    /// HEAD announces the length GET sends (compression is deterministic), and no body follows.
    @Test func headGivesTheGzippedLength() throws {
        let get = try fetch(endpoint, request("Accept-Encoding: gzip\r\n"))
        let connection = try TestConnection(endpoint)
        try connection.send(request("Accept-Encoding: gzip\r\n", method: "HEAD") + request(""))
        let head = try connection.readResponse(bodyFollows: false)
        #expect(head.header("Content-Length") == String(get.body.count))
        #expect(try connection.readResponse().body == PrometheusTextWriter.render(largeSnapshot))
    }

    /// The input goes through a file, not a pipe: a pipe's write end inherited by a `gzip`
    /// that a parallel test starts would hold back the end of input.
    private func gunzip(_ bytes: [UInt8]) throws -> [UInt8] {
        let file = dir.file("body-\(UUID().uuidString).gz")
        try Data(bytes).write(to: URL(fileURLWithPath: file))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/gzip")
        process.arguments = ["-dc", file]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let inflated = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        return Array(inflated)
    }
}
