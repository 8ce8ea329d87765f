extension FrameParser {
    /// IPv4: the fixed header, IHL (options skipped), total length (Ethernet padding after it
    /// is ignored; a frame shorter than it is truncated) and fragments. A non-first fragment
    /// carries no L4 header, so it has no ports; a first fragment (MF set, offset 0) does.
    static func parseIPv4(_ bytes: FrameBytes, at start: Int, into key: inout FlowKey) {
        key.kind = .ipv4
        guard bytes.has(20, at: start, end: bytes.count) else { return key.defect = .truncated }
        let versionAndIHL = bytes.u8(start)
        let headerLength = Int(versionAndIHL & 0x0f) * 4
        let totalLength = Int(bytes.u16(start + 2))
        guard versionAndIHL >> 4 == 4, headerLength >= 20, totalLength >= headerLength else {
            return key.defect = .malformed
        }
        key.ipProtocol = bytes.u8(start + 9)
        key.source = .ipv4(bytes.u32(start + 12))
        key.destination = .ipv4(bytes.u32(start + 16))
        let flagsAndOffset = bytes.u16(start + 6)
        let moreFragments = flagsAndOffset & 0x2000 != 0
        let fragmentOffset = flagsAndOffset & 0x1fff
        key.fragment = moreFragments || fragmentOffset != 0

        if start + totalLength > bytes.count { key.defect = .truncated }
        let end = min(start + totalLength, bytes.count)
        guard bytes.has(headerLength, at: start, end: end) else { return key.defect = .truncated }
        if fragmentOffset == 0 { parsePorts(bytes, at: start + headerLength, end: end, into: &key) }
    }
}
