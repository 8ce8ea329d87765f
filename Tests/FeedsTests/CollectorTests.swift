#if canImport(Glibc)
import Glibc
#endif
import Synchronization
import Testing
@testable import Feeds

/// The collector thread against a source that is not there yet, then is.
@Suite struct CollectorTests {
    /// Failures are delivered (with backoff) while nothing listens; once the source answers,
    /// its scrapes are delivered again.
    @Test func sourceThatRefusesAndComesBack() throws {
        let path = try CannedServer.temporaryPath()
        let results = Mutex<[Result<[UInt8], ScrapeError>]>([])
        let collector = Collector(sources: [try SourceSpec(parsing: "unix:\(path)")], intervalMillis: 100) { scrape in
            results.withLock { $0.append(scrape.result) }
        }
        collector.start()
        defer { collector.stop() }
        #expect(waitUntil { results.withLock { $0.count >= 2 } })
        let server = try CannedServer(response: Array("HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nm 1\n".utf8), count: 100, path: path)
        #expect(waitUntil { results.withLock { $0.contains { (try? $0.get()) == Array("m 1\n".utf8) } } })
        let seen = results.withLock { $0 }
        #expect(seen.first == .failure(ScrapeError(errno: ENOENT, "connect")))
        _ = server
    }

    /// Polls `condition` every 10 ms for up to 20 s.
    private func waitUntil(_ condition: () -> Bool) -> Bool {
        for _ in 0..<2000 {
            if condition() { return true }
            usleep(10_000)
        }
        return false
    }
}
