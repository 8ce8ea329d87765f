/// Turns one Ethernet frame into the `FlowKey` the relay counts it under.
///
/// Runs once per relayed frame, so it allocates nothing, builds no strings and reads only
/// through `FrameBytes`. It never fails: a frame that ends early or contradicts itself still
/// gets a key (what was parsed so far, with a `defect`), because the relay forwards such
/// frames unchanged and must still count them. A layer's fields are taken only when its
/// whole fixed header is inside the frame.
enum FrameParser {
    static let ethernetTypeOffset = 12
    static let ethertypeIPv4: UInt16 = 0x0800
    static let ethertypeIPv6: UInt16 = 0x86dd
    static let ethertypeARP: UInt16 = 0x0806
    /// 802.1Q C-tag and 802.1ad S-tag TPIDs.
    static let vlanTPIDs: (UInt16, UInt16) = (0x8100, 0x88a8)
    /// QinQ is two tags; a third is left as the frame's ethertype (`ethertype 0x8100`).
    static let maxVLANTags = 2

    static func parse(_ frame: UnsafeRawBufferPointer) -> FlowKey {
        var key = FlowKey(kind: .unknown)
        parseEthernet(FrameBytes(buffer: frame), into: &key)
        return key
    }

    /// Ethernet II with up to two VLAN tags, then the layer its ethertype names.
    static func parseEthernet(_ bytes: FrameBytes, into key: inout FlowKey) {
        var typeOffset = ethernetTypeOffset
        guard bytes.has(2, at: typeOffset, end: bytes.count) else { return key.defect = .truncated }
        var ethertype = bytes.u16(typeOffset)
        for _ in 0..<maxVLANTags where ethertype == vlanTPIDs.0 || ethertype == vlanTPIDs.1 {
            // A tag is the TPID (already read), the TCI, then the next ethertype.
            guard bytes.has(4, at: typeOffset + 2, end: bytes.count) else { return key.defect = .truncated }
            key.outerVLAN = key.vlan
            key.vlan = bytes.u16(typeOffset + 2) & 0x0fff
            typeOffset += 4
            ethertype = bytes.u16(typeOffset)
        }
        let payload = typeOffset + 2
        switch ethertype {
        case ethertypeIPv4: parseIPv4(bytes, at: payload, into: &key)
        case ethertypeIPv6: parseIPv6(bytes, at: payload, into: &key)
        case ethertypeARP: key.kind = .arp
        default: key.kind = .other(ethertype: ethertype)
        }
    }

    /// Reads TCP or UDP ports (the first 4 bytes of both headers); other protocols have none.
    static func parsePorts(_ bytes: FrameBytes, at offset: Int, end: Int, into key: inout FlowKey) {
        guard key.ipProtocol == 6 || key.ipProtocol == 17 else { return }
        guard bytes.has(4, at: offset, end: end) else { return key.defect = .truncated }
        key.sourcePort = bytes.u16(offset)
        key.destinationPort = bytes.u16(offset + 2)
    }
}
