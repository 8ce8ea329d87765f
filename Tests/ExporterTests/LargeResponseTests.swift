import Exporter
import Logging
import Telemetry
import Testing

/// A scrape larger than one response piece (1 MiB): the pieces arrive in order and add up to
/// exactly the rendered text, twice in a row (the second render reuses the first's writer).
@Suite final class LargeResponseTests {
    /// 400 copies of the fixed stream: about 2 MB of text.
    static let many = MetricsSnapshot(agent: fixedSnapshot.agent, streams: (1...400).map { i in
        var s = fixedSnapshot.streams[0]
        s.identity.id = UInt64(i)
        return s
    })

    @Test func aMultiPieceBodyIsExactlyTheRenderedText() throws {
        let dir = try TemporaryDirectory()
        let server = MetricsServer(endpoints: [.unix(path: dir.file("m.sock"))], socketMode: 0o600, idleTimeout: .seconds(10),
                                   logger: Logger(label: "LargeResponseTests") { _ in SwiftLogNoOpLogHandler() },
                                   snapshot: { Self.many })
        try server.start()
        defer { server.stop() }
        let expected = PrometheusTextWriter.render(Self.many)
        #expect(expected.count > 1 << 20)  // more than one piece
        for _ in 0..<2 {
            let response = try fetch(server.boundAddresses[0], "GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            #expect(response.header("Content-Length") == String(expected.count))
            #expect(response.body == expected)
        }
    }
}
