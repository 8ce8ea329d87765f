@testable import Relay

/// One hand-built frame, the key it must parse to, and that key's description.
struct FrameCase: Sendable, CustomStringConvertible {
    let name: String
    let frame: [UInt8]
    let key: FlowKey
    let text: String
    /// The shortest prefix that is no longer truncated (Ethernet padding after it is ignored).
    let completeFrom: Int

    var description: String { name }
}

extension FrameCase {
    typealias B = FrameBuilder
    static let v4 = (a: FlowAddress.ipv4(B.v4a), b: FlowAddress.ipv4(B.v4b))
    static let v6 = (a: FlowAddress.ipv6(high: B.v6a.high, low: B.v6a.low),
                     b: FlowAddress.ipv6(high: B.v6b.high, low: B.v6b.low))

    static let ipv4TCP = FrameCase(
        name: "IPv4 TCP", frame: B.ethernet(0x0800, B.ipv4(6, B.tcp(5201, 40000))),
        key: FlowKey(kind: .ipv4, ipProtocol: 6, source: v4.a, destination: v4.b, sourcePort: 5201, destinationPort: 40000),
        text: "tcp 10.0.0.1:5201 → 10.0.0.2:40000", completeFrom: 54)

    static let all: [FrameCase] = [
        ipv4TCP,
        FrameCase(
            name: "IPv4 UDP, padded to 60 bytes",
            frame: B.ethernet(0x0800, B.ipv4(17, from: 0xc0a8_010a, to: 0xc0a8_0114, B.udp(53, 33000, payload: 2))) + Array(repeating: 0, count: 16),
            key: FlowKey(kind: .ipv4, ipProtocol: 17, source: .ipv4(0xc0a8_010a), destination: .ipv4(0xc0a8_0114),
                         sourcePort: 53, destinationPort: 33000),
            text: "udp 192.168.1.10:53 → 192.168.1.20:33000", completeFrom: 44),
        FrameCase(
            name: "IPv4 with options", frame: B.ethernet(0x0800, B.ipv4(6, ihl: 7, B.tcp(22, 50000))),
            key: FlowKey(kind: .ipv4, ipProtocol: 6, source: v4.a, destination: v4.b, sourcePort: 22, destinationPort: 50000),
            text: "tcp 10.0.0.1:22 → 10.0.0.2:50000", completeFrom: 62),
        FrameCase(
            name: "IPv4 first fragment", frame: B.ethernet(0x0800, B.ipv4(17, fragment: 0x2000, B.udp(4000, 53, payload: 24))),
            key: FlowKey(kind: .ipv4, ipProtocol: 17, source: v4.a, destination: v4.b, sourcePort: 4000, destinationPort: 53,
                         fragment: true),
            text: "udp 10.0.0.1:4000 → 10.0.0.2:53 fragment", completeFrom: 66),
        FrameCase(
            name: "IPv4 non-first fragment", frame: B.ethernet(0x0800, B.ipv4(17, fragment: 4, B.udp(4000, 53))),
            key: FlowKey(kind: .ipv4, ipProtocol: 17, source: v4.a, destination: v4.b, fragment: true),
            text: "udp 10.0.0.1 → 10.0.0.2 fragment", completeFrom: 46),
        FrameCase(
            name: "ICMP", frame: B.ethernet(0x0800, B.ipv4(1, B.icmpEcho)),
            key: FlowKey(kind: .ipv4, ipProtocol: 1, source: v4.a, destination: v4.b),
            text: "icmp 10.0.0.1 → 10.0.0.2", completeFrom: 42),
        FrameCase(
            name: "IPv6 TCP", frame: B.ethernet(0x86dd, B.ipv6(6, B.tcp(5201, 40000))),
            key: FlowKey(kind: .ipv6, ipProtocol: 6, source: v6.a, destination: v6.b, sourcePort: 5201, destinationPort: 40000),
            text: "tcp [fd00::1]:5201 → [fd00::2]:40000", completeFrom: 74),
        FrameCase(
            name: "IPv6 UDP", frame: B.ethernet(0x86dd, B.ipv6(17, to: (0x2001_0db8_0000_0000, 0x0001_0000_0000_0001), B.udp(53, 9))),
            key: FlowKey(kind: .ipv6, ipProtocol: 17, source: v6.a, destination: .ipv6(high: 0x2001_0db8_0000_0000, low: 0x0001_0000_0000_0001),
                         sourcePort: 53, destinationPort: 9),
            text: "udp [fd00::1]:53 → [2001:db8::1:0:0:1]:9", completeFrom: 66),
        FrameCase(
            name: "IPv6 hop-by-hop, destination options, first fragment",
            frame: B.ethernet(0x86dd, B.ipv6(0, B.extensionHeader(60, units: 0) + B.extensionHeader(44, units: 1)
                + B.fragmentHeader(17, offset: 0, more: true) + B.udp(5353, 5353))),
            key: FlowKey(kind: .ipv6, ipProtocol: 17, source: v6.a, destination: v6.b, sourcePort: 5353, destinationPort: 5353,
                         fragment: true),
            text: "udp [fd00::1]:5353 → [fd00::2]:5353 fragment", completeFrom: 98),
        FrameCase(
            name: "IPv6 non-first fragment",
            frame: B.ethernet(0x86dd, B.ipv6(0, B.extensionHeader(44, units: 0) + B.fragmentHeader(17, offset: 3, more: false)
                + B.udp(5353, 5353))),
            key: FlowKey(kind: .ipv6, ipProtocol: 17, source: v6.a, destination: v6.b, fragment: true),
            text: "udp fd00::1 → fd00::2 fragment", completeFrom: 82),
        FrameCase(
            name: "IPv6 routing and AH", frame: B.ethernet(0x86dd, B.ipv6(43, B.extensionHeader(51, units: 0)
                + B.extensionHeader(6, units: 4, ah: true) + B.tcp(443, 1234))),
            key: FlowKey(kind: .ipv6, ipProtocol: 6, source: v6.a, destination: v6.b, sourcePort: 443, destinationPort: 1234),
            text: "tcp [fd00::1]:443 → [fd00::2]:1234", completeFrom: 106),
        FrameCase(
            name: "IPv6 ESP", frame: B.ethernet(0x86dd, B.ipv6(50, Array(repeating: 0x55, count: 16))),
            key: FlowKey(kind: .ipv6, ipProtocol: 50, source: v6.a, destination: v6.b),
            text: "esp fd00::1 → fd00::2", completeFrom: 70),
        FrameCase(
            name: "ICMPv6", frame: B.ethernet(0x86dd, B.ipv6(58, B.icmpEcho)),
            key: FlowKey(kind: .ipv6, ipProtocol: 58, source: v6.a, destination: v6.b),
            text: "icmpv6 fd00::1 → fd00::2", completeFrom: 62),
        FrameCase(
            name: "802.1Q VLAN", frame: B.ethernet(0x0800, tags: [(0x8100, 0xa064)], B.ipv4(6, B.tcp(5201, 40000))),
            key: FlowKey(kind: .ipv4, vlan: 100, ipProtocol: 6, source: v4.a, destination: v4.b, sourcePort: 5201, destinationPort: 40000),
            text: "vlan 100 tcp 10.0.0.1:5201 → 10.0.0.2:40000", completeFrom: 58),
        FrameCase(
            name: "QinQ", frame: B.ethernet(0x86dd, tags: [(0x88a8, 200), (0x8100, 100)], B.ipv6(17, B.udp(53, 9))),
            key: FlowKey(kind: .ipv6, vlan: 100, outerVLAN: 200, ipProtocol: 17, source: v6.a, destination: v6.b,
                         sourcePort: 53, destinationPort: 9),
            text: "vlan 200.100 udp [fd00::1]:53 → [fd00::2]:9", completeFrom: 74),
        FrameCase(
            name: "three VLAN tags", frame: B.ethernet(0x0800, tags: [(0x88a8, 200), (0x8100, 100), (0x8100, 7)], []),
            key: FlowKey(kind: .other(ethertype: 0x8100), vlan: 100, outerVLAN: 200),
            text: "vlan 200.100 ethertype 0x8100", completeFrom: 22),
        FrameCase(
            name: "ARP", frame: B.ethernet(0x0806, Array(repeating: 0, count: 28)),
            key: FlowKey(kind: .arp), text: "arp", completeFrom: 14),
        FrameCase(
            name: "LLDP", frame: B.ethernet(0x88cc, Array(repeating: 0, count: 32)),
            key: FlowKey(kind: .other(ethertype: 0x88cc)), text: "ethertype 0x88cc", completeFrom: 14),
    ]

    /// Frames whose headers contradict themselves.
    static let malformed: [FrameCase] = [
        FrameCase(
            name: "IPv4 IHL 4", frame: B.ethernet(0x0800, B.ipv4(6, ihl: 4, B.tcp(1, 2))),
            key: FlowKey(kind: .ipv4, defect: .malformed), text: "malformed ipv4", completeFrom: 34),
        FrameCase(
            name: "IPv4 version 5", frame: B.ethernet(0x0800, B.ipv4(6, version: 5, B.tcp(1, 2))),
            key: FlowKey(kind: .ipv4, defect: .malformed), text: "malformed ipv4", completeFrom: 34),
        FrameCase(
            name: "IPv4 total length below IHL", frame: B.ethernet(0x0800, B.ipv4(6, totalLength: 19, B.tcp(1, 2))),
            key: FlowKey(kind: .ipv4, defect: .malformed), text: "malformed ipv4", completeFrom: 34),
        FrameCase(
            name: "IPv6 version 4", frame: B.ethernet(0x86dd, [0x40] + B.ipv6(6, B.tcp(1, 2)).dropFirst()),
            key: FlowKey(kind: .ipv6, defect: .malformed), text: "malformed ipv6", completeFrom: 54),
        FrameCase(
            name: "IPv6 nine extension headers",
            frame: B.ethernet(0x86dd, B.ipv6(60, (0..<9).flatMap { i in B.extensionHeader(i == 8 ? 6 : 60, units: 0) } + B.tcp(1, 2))),
            key: FlowKey(kind: .ipv6, ipProtocol: 60, source: v6.a, destination: v6.b, defect: .malformed),
            text: "malformed proto 60 fd00::1 → fd00::2", completeFrom: 126),
    ]
}
