import Telemetry

/// How a flow is named in the export. `peer` is the flow's client (the sender of its first
/// frame) and `local` its server, written like `SocketAddress.description` (`10.0.0.1:5201`,
/// `[fd00::1]:5201`), so iperf3's "local A port P connected to B port Q" joins where
/// peer = "A:P" and local = "B:Q", as for the TCP relay.
extension FlowKey {
    /// The `proto` label: `tcp`, `udp`, `icmp`, `icmpv6`, `ipv4`/`ipv6` (another IP protocol,
    /// or none parsed), `arp`, `other` (another ethertype or a frame too short for one).
    var protoLabel: String {
        switch kind {
        case .arp: return "arp"
        case .other, .unknown: return "other"
        case .ipv4, .ipv6:
            switch ipProtocol {
            case 6: return "tcp"
            case 17: return "udp"
            case 1: return "icmp"
            case 58: return "icmpv6"
            default: return kind == .ipv4 ? "ipv4" : "ipv6"
            }
        }
    }

    /// The stream identity of a flow whose first frame is `self` (so `source` is the client).
    func identity() -> StreamIdentity {
        guard source != .none else { return StreamIdentity(id: 0, proto: protoLabel, local: "", peer: "", flow: description) }
        let ports = sourcePort != 0 || destinationPort != 0
        return StreamIdentity(id: 0, proto: protoLabel, local: endpoint(destination, destinationPort, ports),
                              peer: endpoint(source, sourcePort, ports), flow: description)
    }

    /// The export's defect for a damaged frame.
    var frameDefect: FrameDefect? {
        switch defect {
        case .truncated?: .truncated
        case .malformed?: .malformed
        case nil: nil
        }
    }
}
