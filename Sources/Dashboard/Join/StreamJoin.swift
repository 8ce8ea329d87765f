import Feeds
import Telemetry

/// An agent's stream, as one scrape source exports it.
struct AgentStreamRef: Hashable, Sendable {
    /// The source (`instance`) it came from.
    let instance: String
    /// The `stream` label.
    let stream: String
}

/// Matches iperf3's streams to the agent streams that carried them, by address and port.
///
/// iperf3 prints `[  5] local A port P connected to B port Q`; bpagent exports
/// `bpagent_stream_info{stream, local, peer, upstream_local, upstream_peer}`.
/// - On the client side, the agent saw the client's socket as `peer` = A:P and the client
///   connected to the agent's `local` = B:Q (the relay's listen port, or the server itself
///   for a frame relay that attributes flows).
/// - On the server side, iperf3's peer B:Q is the relay's outgoing socket, `upstream_local`,
///   and A:P the relay's target, `upstream_peer`; a flow-attributing agent shows the client
///   as `peer` = B:Q and the server as `local` = A:P.
/// When ports were reused, the newest agent stream (highest id) wins.
enum StreamJoin {
    struct Result: Equatable, Sendable {
        /// iperf3 stream id → the agent stream that carried it.
        var matched: [Int: AgentStreamRef] = [:]
        /// iperf3 streams no agent stream matches.
        var unmatched: [Unmatched] = []
    }

    /// An iperf3 stream without an agent stream, and the address that was looked for.
    struct Unmatched: Equatable, Sendable {
        let stream: Int
        let address: String
    }

    /// `info` holds the label sets of the agent's `bpagent_stream_info` series (with `instance`).
    static func join(_ test: Iperf3Test, info: [[PrometheusSample.Label]]) -> Result {
        let streams = info.compactMap(AgentStream.init)
        var result = Result()
        for connection in test.connections {
            let local = connection.local.address, remote = connection.remote.address
            let candidates = streams.filter { s in
                switch test.side {
                case .client: s.peer == local && s.local == remote
                case .server: (s.upstreamLocal == remote && s.upstreamPeer == local) || (s.peer == remote && s.local == local)
                }
            }
            if let best = candidates.max(by: { $0.order < $1.order }) {
                result.matched[connection.stream] = best.ref
            } else {
                result.unmatched.append(Unmatched(stream: connection.stream, address: test.side == .client ? local : remote))
            }
        }
        return result
    }

    private struct AgentStream {
        let ref: AgentStreamRef
        let local, peer, upstreamLocal, upstreamPeer: String
        /// Newer streams have higher ids.
        let order: Int

        init?(_ labels: [PrometheusSample.Label]) {
            func label(_ name: String) -> String { labels.first { $0.name == name }?.value ?? "" }
            guard !label("stream").isEmpty else { return nil }
            ref = AgentStreamRef(instance: label(Query.sourceLabel), stream: label("stream"))
            local = label("local")
            peer = label("peer")
            upstreamLocal = label("upstream_local")
            upstreamPeer = label("upstream_peer")
            order = Int(label("stream")) ?? 0
        }
    }
}
