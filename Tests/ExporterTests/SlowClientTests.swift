import Dispatch
import Exporter
import Synchronization
import Telemetry
import Testing

/// Counts the snapshots a server takes: one per rendered response.
final class RenderCount: Sendable {
    private let count = Atomic<Int>(0)
    var value: Int { count.load(ordering: .relaxed) }
    @discardableResult func add() -> Int { count.wrappingAdd(1, ordering: .relaxed).newValue }
}

/// Clients that read slowly, stop reading, pipeline without reading, or leave before their
/// turn: each costs the server at most one response, and a slow one still gets all of it.
@Suite final class SlowClientTests {
    let dir: TemporaryDirectory
    let endpoint: MetricsEndpoint
    let expected = PrometheusTextWriter.render(largeSnapshot)

    init() throws {
        dir = try TemporaryDirectory()
        endpoint = .unix(path: dir.file("m.sock"))
    }

    /// 2 MB at 32 KiB per 25 ms takes 1.6 s, five deadlines: the response keeps moving, so
    /// the deadline (which guards a request, not a response being written) never cuts it.
    @Test func aSlowReaderGetsTheWholeResponse() throws {
        let server = try startServer([endpoint], idleTimeout: .milliseconds(300), snapshot: { _ in largeSnapshot })
        defer { server.stop() }
        let connection = try TestConnection(endpoint)
        connection.setReceiveBuffer(16 * 1024)
        try connection.send(get("/metrics"))
        connection.pace = (32 * 1024, 25)
        let response = try connection.readResponse()
        #expect(response.body.count == expected.count)
        #expect(response.body == expected)
    }

    /// A reader that stops reading is closed once its response has made no progress for the
    /// deadline: it gets the part its buffers held, then the end of the stream.
    @Test func aReaderThatStopsIsClosedAfterTheDeadline() throws {
        let server = try startServer([endpoint], idleTimeout: .milliseconds(200), snapshot: { _ in largeSnapshot })
        defer { server.stop() }
        let connection = try TestConnection(endpoint)
        connection.setReceiveBuffer(16 * 1024)
        try connection.send(get("/metrics"))
        pause(milliseconds: 1000)
        let received = try connection.readToEnd()
        #expect(received.count > 0)
        #expect(received.count < expected.count)
        #expect(server.exporterSnapshot[closed: .writeTimeout] == 1)
    }

    /// Twenty pipelined scrapes of 2 MB from a client that does not read: one is rendered,
    /// the next only when the previous one has reached the socket (50 such requests grew the
    /// agent by 500 MB).
    @Test func pipelinedRequestsAreRenderedOneAtATime() throws {
        let renders = RenderCount()
        let server = try startServer([endpoint], snapshot: { _ in renders.add(); return largeSnapshot })
        defer { server.stop() }
        let connection = try TestConnection(endpoint)
        connection.setReceiveBuffer(16 * 1024)
        try connection.send(String(repeating: get("/metrics"), count: 20))
        pause(milliseconds: 500)
        #expect(renders.value == 1)
        for _ in 0..<20 {
            #expect(try connection.readResponse().body == expected)
        }
        #expect(renders.value == 20)
    }

    /// While the server is busy (its first render held), a client sends a request and closes.
    /// By the time its request is read the client is gone, so nothing is rendered for it.
    @Test func aClientGoneBeforeItsTurnIsNotRenderedFor() throws {
        let renders = RenderCount()
        let firstRender = DispatchSemaphore(value: 0)
        let server = try startServer([endpoint], snapshot: { _ in
            if renders.add() == 1 { firstRender.wait() }
            return fixedSnapshot
        })
        defer { server.stop() }
        let busy = try TestConnection(endpoint)
        try busy.send(get("/metrics"))
        while renders.value < 1 { pause(milliseconds: 5) }
        do {
            let leaving = try TestConnection(endpoint)
            try leaving.send(get("/metrics"))
        }
        pause(milliseconds: 100)
        firstRender.signal()
        #expect(try busy.readResponse().status == 200)
        #expect(try fetch(endpoint, get("/metrics")).status == 200)
        #expect(renders.value == 2)
        #expect(server.exporterSnapshot.abandonedRequests == 1)
    }
}

/// Its own servers: they fill every connection slot.
@Suite struct ConnectionSlotTests {
    let dir: TemporaryDirectory
    let endpoint: MetricsEndpoint
    let server: MetricsServer

    init() throws {
        dir = try TemporaryDirectory()
        endpoint = .unix(path: dir.file("m.sock"))
        server = try startServer([endpoint], idleTimeout: .seconds(60))
    }

    private func served(_ connection: TestConnection) throws {
        try connection.send(get("/healthz"))
        #expect(try connection.readResponse().text == "ok\n")
    }

    /// 64 connections hold every slot; 63 of them have been served since. After the grace
    /// second, a newcomer closes the one that never sent a request, and is served itself.
    @Test func aConnectionWithoutARequestGoesFirst() throws {
        defer { server.stop() }
        let held = try (1...64).map { _ in try TestConnection(endpoint) }
        for connection in held.dropFirst() { try served(connection) }
        pause(milliseconds: 1100)
        #expect(try fetch(endpoint, get("/healthz")).text == "ok\n")
        #expect(try held[0].readToEnd() == [])
        try served(held[1])
        #expect(server.exporterSnapshot[closed: .evicted] == 1)
    }

    /// 33 slots hold served keep-alive connections, 31 fresh ones that have not sent their
    /// request yet (within their grace second): a newcomer closes the served connection idle
    /// the longest, never a fresh one, which may be a scraper whose request is on its way.
    @Test func freshConnectionsAreSparedForTheirGrace() throws {
        defer { server.stop() }
        let kept = try (1...33).map { _ in try TestConnection(endpoint) }
        for connection in kept { try served(connection) }
        let fresh = try (1...31).map { _ in try TestConnection(endpoint) }
        #expect(try fetch(endpoint, get("/healthz")).text == "ok\n")
        #expect(try kept[0].readToEnd() == [])
        for connection in [fresh[0], fresh[30], kept[1], kept[32]] { try served(connection) }
    }

    /// A flood of new connections (half the slots or more hold ones without a request yet)
    /// churns among itself: the oldest of them goes, not a served keep-alive connection.
    @Test func aFloodOfNewConnectionsDoesNotEvictServedOnes() throws {
        defer { server.stop() }
        let kept = try (1...10).map { _ in try TestConnection(endpoint) }
        for connection in kept { try served(connection) }
        let flood = try (1...54).map { _ in try TestConnection(endpoint) }
        #expect(try fetch(endpoint, get("/healthz")).text == "ok\n")
        #expect(try flood[0].readToEnd() == [])
        for connection in [kept[0], kept[9], flood[1]] { try served(connection) }
    }

    /// 64 clients each dribble an unfinished request head (slowloris); once past their grace,
    /// scrapers get in, each taking the slot of the oldest of them, and keep theirs.
    @Test func slowlorisClientsCannotStarveAScraper() throws {
        defer { server.stop() }
        let slow = try (1...64).map { _ in try TestConnection(endpoint) }
        for connection in slow { try connection.send("GET /metrics HTTP/1.1\r\nHost: x\r\n") }
        pause(milliseconds: 1100)
        // Kept open, so each scraper needs a slot of its own.
        var scrapers: [TestConnection] = []
        for _ in 0..<10 {
            let scraper = try TestConnection(endpoint)
            try served(scraper)
            scrapers.append(scraper)
        }
        for connection in slow.prefix(10) { #expect(try connection.readToEnd() == []) }
        for scraper in scrapers { try served(scraper) }
        #expect(server.exporterSnapshot[closed: .evicted] == 10)
    }
}
