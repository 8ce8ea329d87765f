import Exporter
import Telemetry
import Testing

/// A scrape larger than one response piece (1 MiB): the pieces arrive in order and add up to
/// exactly the rendered text, twice in a row (the second render reuses the first's writer).
@Suite final class LargeResponseTests {
    @Test func aMultiPieceBodyIsExactlyTheRenderedText() throws {
        let dir = try TemporaryDirectory()
        let server = makeServer([.unix(path: dir.file("m.sock"))], snapshot: { _ in largeSnapshot })
        try server.start()
        defer { server.stop() }
        let expected = PrometheusTextWriter.render(largeSnapshot)
        #expect(expected.count > 1 << 20)  // more than one piece
        for _ in 0..<2 {
            let response = try fetch(server.boundAddresses[0], "GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            #expect(response.header("Content-Length") == String(expected.count))
            #expect(response.body == expected)
        }
    }
}
