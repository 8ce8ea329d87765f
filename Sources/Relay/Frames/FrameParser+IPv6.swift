extension FrameParser {
    /// Extension headers walked before giving up on a frame as malformed. Real stacks send
    /// at most a few; the bound keeps a hostile chain from costing more than a few reads.
    static let maxIPv6ExtensionHeaders = 8

    /// IPv6: the fixed header, then the extension-header chain up to the L4 header.
    /// Hop-by-hop (0), routing (43) and destination options (60) are (n+1)·8 bytes long,
    /// AH (51) is (n+2)·4; a fragment header (44) is 8 bytes and, in a non-first fragment,
    /// ends the walk without ports. ESP (50) and no-next-header (59) end it with that protocol.
    static func parseIPv6(_ bytes: FrameBytes, at start: Int, into key: inout FlowKey) {
        key.kind = .ipv6
        guard bytes.has(40, at: start, end: bytes.count) else { return key.defect = .truncated }
        guard bytes.u8(start) >> 4 == 6 else { return key.defect = .malformed }
        key.source = .ipv6(high: bytes.u64(start + 8), low: bytes.u64(start + 16))
        key.destination = .ipv6(high: bytes.u64(start + 24), low: bytes.u64(start + 32))
        let announcedEnd = start + 40 + Int(bytes.u16(start + 4))
        if announcedEnd > bytes.count { key.defect = .truncated }
        let end = min(announcedEnd, bytes.count)

        var next = bytes.u8(start + 6)
        var offset = start + 40
        for _ in 0...maxIPv6ExtensionHeaders {
            key.ipProtocol = next
            switch next {
            case 0, 43, 60, 51:
                guard bytes.has(2, at: offset, end: end) else { return key.defect = .truncated }
                let units = Int(bytes.u8(offset + 1))
                let length = next == 51 ? (units + 2) * 4 : (units + 1) * 8
                guard bytes.has(length, at: offset, end: end) else { return key.defect = .truncated }
                next = bytes.u8(offset)
                offset += length
            case 44:
                guard bytes.has(8, at: offset, end: end) else { return key.defect = .truncated }
                key.fragment = true
                next = bytes.u8(offset)
                let fragmentOffset = bytes.u16(offset + 2) >> 3
                offset += 8
                if fragmentOffset != 0 { return key.ipProtocol = next }
            default:
                return parsePorts(bytes, at: offset, end: end, into: &key)
            }
        }
        key.defect = .malformed
    }
}
