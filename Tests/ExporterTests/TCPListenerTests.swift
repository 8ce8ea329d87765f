import Exporter
import Testing

@Suite struct TCPListenerTests {
    @Test func portZeroBindsLoopbackAndReportsThePort() throws {
        let server = try startServer([.tcp(host: "127.0.0.1", port: 0)])
        defer { server.stop() }
        guard case .tcp(let host, let port) = server.boundAddresses.first else {
            Issue.record("no tcp address in \(server.boundAddresses)")
            return
        }
        #expect(host == "127.0.0.1")
        #expect(port != 0)
        #expect(try fetch(.tcp(host: "127.0.0.1", port: port), get("/healthz")).text == "ok\n")
    }

    @Test func portInUseIsNamed() throws {
        let first = try startServer([.tcp(host: "127.0.0.1", port: 0)])
        defer { first.stop() }
        let taken = first.boundAddresses[0]
        let second = makeServer([taken])
        defer { second.stop() }
        let error = #expect(throws: MetricsServerError.self) { try second.start() }
        #expect(error?.description == "cannot listen on \(taken): Address already in use")
        #expect(try fetch(taken, get("/healthz")).text == "ok\n")
    }
}
