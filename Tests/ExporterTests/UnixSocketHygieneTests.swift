#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Exporter
import Testing

/// The socket file rules: exact mode, never touch what is not ours, replace only stale sockets.
@Suite final class UnixSocketHygieneTests {
    let dir: TemporaryDirectory

    init() throws {
        dir = try TemporaryDirectory()
    }

    /// `start()` must throw exactly `message`.
    private func expectStartFails(_ endpoints: [MetricsEndpoint], _ message: String) {
        let server = makeServer(endpoints)
        defer { server.stop() }
        let error = #expect(throws: MetricsServerError.self) { try server.start() }
        #expect(error?.description == message)
    }

    @Test(arguments: [(mode_t(0o600), nil), (0o660, 0o660)] as [(mode_t, mode_t?)])
    func socketFileHasTheRequestedMode(expected: mode_t, requested: mode_t?) throws {
        let path = dir.file("m.sock")
        let server = try requested.map { try startServer([.unix(path: path)], socketMode: $0) }
            ?? startServer([.unix(path: path)])
        defer { server.stop() }
        #expect(fileMode(path) == S_IFSOCK | expected)
    }

    @Test func regularFileIsLeftUntouched() throws {
        let path = try dir.writeForeignFile("m.sock", contents: "not a socket\n")
        expectStartFails([.unix(path: path)],
                         "cannot listen on unix:\(path): \(path) exists and is not a socket; refusing to replace it")
        #expect(fileContents(path) == "not a socket\n")
        #expect(fileMode(path) == S_IFREG | 0o640)
    }

    @Test func liveSocketIsNotTakenOver() throws {
        let path = dir.file("m.sock")
        let first = try startServer([.unix(path: path)])
        defer { first.stop() }
        expectStartFails([.unix(path: path)], "cannot listen on unix:\(path): already in use by another process")
        #expect(try fetch(.unix(path: path), get("/healthz")).text == "ok\n")
    }

    @Test func staleSocketIsReplaced() throws {
        let path = dir.file("m.sock")
        try SocketAddressing.makeStaleSocket(at: path)
        let server = try startServer([.unix(path: path)])
        defer { server.stop() }
        #expect(try fetch(.unix(path: path), get("/healthz")).text == "ok\n")
    }

    @Test func missingDirectoryIsNamed() {
        let path = dir.file("missing/m.sock")
        expectStartFails([.unix(path: path)], "cannot listen on unix:\(path): directory \(dir.path)/missing does not exist")
    }

    @Test func fileInPlaceOfDirectoryIsNamed() throws {
        let file = try dir.writeForeignFile("plain", contents: "")
        expectStartFails([.unix(path: "\(file)/m.sock")], "cannot listen on unix:\(file)/m.sock: \(file) is not a directory")
    }

    @Test func overlongPathIsRefused() {
        let path = dir.file(String(repeating: "s", count: 120))
        expectStartFails([.unix(path: path)], "cannot listen on unix:\(path): a socket path may have at most 103 bytes; this one has \(path.utf8.count)")
    }

    @Test func stopRemovesTheSocketFileAndIsIdempotent() throws {
        let path = dir.file("m.sock")
        let server = try startServer([.unix(path: path)])
        server.stop()
        server.stop()
        #expect(fileMode(path) == nil)
        #expect(server.boundAddresses == [])
    }

    /// Another process replaced our socket while we ran; its file is not ours to delete.
    @Test func stopLeavesAFileThatReplacedOurSocket() throws {
        let path = dir.file("m.sock")
        let server = try startServer([.unix(path: path)])
        unlink(path)
        _ = try dir.writeForeignFile("m.sock", contents: "someone else's\n")
        server.stop()
        #expect(fileContents(path) == "someone else's\n")
    }

    /// The second endpoint fails: the first is unbound again, its file removed, the
    /// foreign file left, and a later start can have both paths.
    @Test func failedStartUnbindsWhatItBound() throws {
        let good = dir.file("a.sock")
        let foreign = try dir.writeForeignFile("b.sock", contents: "keep\n")
        expectStartFails([.unix(path: good), .unix(path: foreign)],
                         "cannot listen on unix:\(foreign): \(foreign) exists and is not a socket; refusing to replace it")
        #expect(fileMode(good) == nil)
        #expect(fileContents(foreign) == "keep\n")
        let retry = try startServer([.unix(path: good)])
        defer { retry.stop() }
        #expect(try fetch(.unix(path: good), get("/healthz")).text == "ok\n")
    }
}
