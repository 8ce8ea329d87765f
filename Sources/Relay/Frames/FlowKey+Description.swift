/// Human-readable flow names for stream labels and logs (never built on the hot path).
///
/// Examples: `tcp 10.0.0.1:5201 → 10.0.0.2:40000`, `vlan 100 udp [fd00::1]:53 → [fd00::2]:9`,
/// `vlan 200.100 arp` (QinQ: outer.inner, as Linux names stacked VLAN devices),
/// `ethertype 0x88cc`, `udp 10.0.0.1 → 10.0.0.2 fragment`, `truncated ipv4`.
extension FlowKey: CustomStringConvertible {
    var description: String {
        var text = ""
        switch defect {
        case .truncated?: text += "truncated "
        case .malformed?: text += "malformed "
        case nil: break
        }
        if let vlan {
            text += outerVLAN.map { "vlan \($0).\(vlan) " } ?? "vlan \(vlan) "
        }
        switch kind {
        case .arp: text += "arp"
        case .unknown: text += "ethernet"
        case .other(let ethertype): text += "ethertype 0x" + hex(ethertype, width: 4)
        case .ipv4, .ipv6:
            guard source != .none else { text += kind == .ipv4 ? "ipv4" : "ipv6"; break }
            // Port 0 is never used by a real TCP/UDP endpoint: both 0 means "not parsed".
            let ports = sourcePort != 0 || destinationPort != 0
            text += "\(protocolName) \(endpoint(source, sourcePort, ports)) → "
                + endpoint(destination, destinationPort, ports)
        }
        return fragment ? text + " fragment" : text
    }

    private var protocolName: String {
        switch ipProtocol {
        case 1: "icmp"
        case 6: "tcp"
        case 17: "udp"
        case 50: "esp"
        case 58: "icmpv6"
        default: "proto \(ipProtocol)"
        }
    }

    func endpoint(_ address: FlowAddress, _ port: UInt16, _ showPort: Bool) -> String {
        guard showPort else { return address.description }
        if case .ipv6 = address { return "[\(address)]:\(port)" }
        return "\(address):\(port)"
    }
}

extension FlowAddress: CustomStringConvertible {
    /// Dotted quad, or RFC 5952 text for IPv6 (lowercase, longest zero run as `::`).
    var description: String {
        switch self {
        case .none: return "-"
        case .ipv4(let a):
            return "\(a >> 24).\(a >> 16 & 0xff).\(a >> 8 & 0xff).\(a & 0xff)"
        case .ipv6(let high, let low):
            let groups = (0..<8).map { i in
                UInt16(truncatingIfNeeded: (i < 4 ? high : low) >> (48 - 16 * (i % 4)))
            }
            let run = longestZeroRun(groups)
            guard run.count >= 2 else { return groups.map { hex($0) }.joined(separator: ":") }
            let head = groups[..<run.start].map { hex($0) }.joined(separator: ":")
            let tail = groups[(run.start + run.count)...].map { hex($0) }.joined(separator: ":")
            return head + "::" + tail
        }
    }

    /// The first longest run of zero groups (RFC 5952 §4.2.3).
    private func longestZeroRun(_ groups: [UInt16]) -> (start: Int, count: Int) {
        var best = (start: 0, count: 0)
        var start = 0
        for (i, group) in groups.enumerated() {
            if group != 0 { start = i + 1; continue }
            if i - start + 1 > best.count { best = (start, i - start + 1) }
        }
        return best
    }
}

private func hex(_ value: UInt16, width: Int = 0) -> String {
    let digits = String(value, radix: 16)
    return String(repeating: "0", count: max(0, width - digits.count)) + digits
}
