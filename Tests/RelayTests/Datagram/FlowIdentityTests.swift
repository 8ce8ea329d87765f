import Testing
import Telemetry
@testable import Relay

/// The labels a flow's stream gets: the contract bptop and scripts join iperf3 by.
@Suite struct FlowIdentityTests {
    typealias F = FrameBuilder

    private func identity(_ frame: [UInt8]) -> StreamIdentity { F.parse(frame).identity() }

    @Test func tcpOverIPv4NamesClientAsPeerAndServerAsLocal() {
        let id = identity(F.ethernet(0x0800, F.ipv4(6, F.tcp(40000, 5201))))
        #expect((id.proto, id.peer, id.local) == ("tcp", "10.0.0.1:40000", "10.0.0.2:5201"))
        #expect(id.flow == "tcp 10.0.0.1:40000 → 10.0.0.2:5201")
        #expect((id.upstreamLocal, id.upstreamPeer) == ("", ""))
    }

    @Test func ipv6EndpointsAreBracketed() {
        let id = identity(F.ethernet(0x86dd, F.ipv6(17, F.udp(5353, 53))))
        #expect((id.proto, id.peer, id.local) == ("udp", "[fd00::1]:5353", "[fd00::2]:53"))
    }

    @Test func vlanIsInTheFlowLabelOnly() {
        let id = identity(F.ethernet(0x0800, tags: [(0x8100, 100)], F.ipv4(17, F.udp(1, 2))))
        #expect((id.peer, id.local) == ("10.0.0.1:1", "10.0.0.2:2"))
        #expect(id.flow == "vlan 100 udp 10.0.0.1:1 → 10.0.0.2:2")
    }

    @Test func withoutPortsOrAddresses() {
        let icmp = identity(F.ethernet(0x0800, F.ipv4(1, F.icmpEcho)))
        #expect((icmp.proto, icmp.peer, icmp.local) == ("icmp", "10.0.0.1", "10.0.0.2"))
        let arp = identity(F.ethernet(0x0806, Array(repeating: 0, count: 28)))
        #expect((arp.proto, arp.peer, arp.local, arp.flow) == ("arp", "", "", "arp"))
        let lldp = identity(F.ethernet(0x88cc, [1, 2, 3]))
        #expect((lldp.proto, lldp.flow) == ("other", "ethertype 0x88cc"))
    }

    @Test func damagedFramesKeepWhatWasParsed() {
        let cut = F.parse(Array(F.ethernet(0x0800, F.ipv4(6, F.tcp(1, 2))).prefix(14 + 10)))
        #expect(cut.frameDefect == .truncated)
        #expect((cut.identity().proto, cut.identity().peer, cut.identity().flow) == ("ipv4", "", "truncated ipv4"))
        let bad = F.parse(F.ethernet(0x0800, F.ipv4(6, ihl: 4, F.tcp(1, 2))))
        #expect(bad.frameDefect == .malformed)
    }
}
