import Testing
@testable import Feeds
import Telemetry
@testable import Dashboard

/// Joining iperf3's "local A port P connected to B port Q" to bpagent_stream_info.
@Suite struct StreamJoinTests {
    private func test(side: Iperf3Test.Side, _ connections: [(Int, String, Int, String, Int)]) -> Iperf3Test {
        var t = Iperf3Test()
        t.side = side
        t.connections = connections.map {
            Iperf3Connection(stream: $0.0, local: .init(host: $0.1, port: $0.2), remote: .init(host: $0.3, port: $0.4))
        }
        return t
    }

    private func info(_ instance: String, _ stream: String, local: String, peer: String,
                      upstreamLocal: String = "", upstreamPeer: String = "") -> [PrometheusSample.Label] {
        [.init("instance", instance), .init("local", local), .init("peer", peer), .init("stream", stream),
         .init("upstream_local", upstreamLocal), .init("upstream_peer", upstreamPeer)]
    }

    @Test func clientStreamsJoinByTheirPortAsTheAgentsPeer() {
        let client = test(side: .client, [(5, "127.0.0.1", 40000, "127.0.0.1", 5202), (7, "127.0.0.1", 40002, "127.0.0.1", 5202)])
        let agent = [info("a", "1", local: "127.0.0.1:5202", peer: "127.0.0.1:39998"),  // control connection
                     info("a", "2", local: "127.0.0.1:5202", peer: "127.0.0.1:40000"),
                     info("a", "3", local: "127.0.0.1:5202", peer: "127.0.0.1:40002")]
        let result = StreamJoin.join(client, info: agent)
        #expect(result.matched == [5: AgentStreamRef(instance: "a", stream: "2"), 7: AgentStreamRef(instance: "a", stream: "3")])
        #expect(result.unmatched.isEmpty)
    }

    @Test func serverStreamsJoinByTheRelaysOutgoingSocket() {
        let server = test(side: .server, [(5, "127.0.0.1", 5201, "127.0.0.1", 51000)])
        let agent = [info("a", "9", local: "127.0.0.1:5202", peer: "127.0.0.1:40000",
                          upstreamLocal: "127.0.0.1:51000", upstreamPeer: "127.0.0.1:5201")]
        #expect(StreamJoin.join(server, info: agent).matched == [5: AgentStreamRef(instance: "a", stream: "9")])
    }

    @Test func aFlowAttributingAgentJoinsOnBothSides() {
        // A frame relay names flows by their endpoints: peer = the client, local = the server.
        let agent = [info("lab", "4", local: "[fd00::2]:5201", peer: "[fd00::1]:43210")]
        let client = test(side: .client, [(5, "fd00::1", 43210, "fd00::2", 5201)])
        let server = test(side: .server, [(5, "fd00::2", 5201, "fd00::1", 43210)])
        #expect(StreamJoin.join(client, info: agent).matched[5] == AgentStreamRef(instance: "lab", stream: "4"))
        #expect(StreamJoin.join(server, info: agent).matched[5] == AgentStreamRef(instance: "lab", stream: "4"))
    }

    @Test func unmatchedStreamsAreListedAndTheNewestReusedPortWins() {
        let client = test(side: .client, [(5, "127.0.0.1", 40000, "127.0.0.1", 5202), (7, "127.0.0.1", 40002, "127.0.0.1", 5202)])
        let agent = [info("a", "12", local: "127.0.0.1:5202", peer: "127.0.0.1:40000"),
                     info("a", "101", local: "127.0.0.1:5202", peer: "127.0.0.1:40000"),
                     info("a", "13", local: "127.0.0.1:9999", peer: "127.0.0.1:40002")]
        let result = StreamJoin.join(client, info: agent)
        #expect(result.matched == [5: AgentStreamRef(instance: "a", stream: "101")])
        #expect(result.unmatched == [StreamJoin.Unmatched(stream: 7, address: "127.0.0.1:40002")])
    }
}
