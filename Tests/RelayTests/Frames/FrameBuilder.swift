@testable import Relay

/// Hand-built test frames, one helper per header, all big-endian as on the wire.
enum FrameBuilder {
    static let v4a: UInt32 = 0x0a00_0001  // 10.0.0.1
    static let v4b: UInt32 = 0x0a00_0002  // 10.0.0.2
    static let v6a = (high: UInt64(0xfd00) << 48, low: UInt64(1))  // fd00::1
    static let v6b = (high: UInt64(0xfd00) << 48, low: UInt64(2))  // fd00::2

    static func ethernet(_ type: UInt16, tags: [(tpid: UInt16, tci: UInt16)] = [], _ payload: [UInt8]) -> [UInt8] {
        var frame: [UInt8] = [2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1]
        for tag in tags { frame += be16(tag.tpid) + be16(tag.tci) }
        return frame + be16(type) + payload
    }

    /// `ihl` other than 5 adds NOP options; `totalLength` overrides the honest value.
    static func ipv4(_ proto: UInt8, from source: UInt32 = v4a, to destination: UInt32 = v4b, version: UInt8 = 4,
                     ihl: UInt8 = 5, fragment: UInt16 = 0, totalLength: Int? = nil, _ payload: [UInt8]) -> [UInt8] {
        let options = max(0, Int(ihl) * 4 - 20)
        let length = UInt16(totalLength ?? 20 + options + payload.count)
        return [version << 4 | ihl, 0] + be16(length) + [0, 0] + be16(fragment) + [64, proto, 0, 0]
            + be32(source) + be32(destination) + Array(repeating: 1, count: options) + payload
    }

    static func ipv6(_ next: UInt8, from source: (high: UInt64, low: UInt64) = v6a,
                     to destination: (high: UInt64, low: UInt64) = v6b, _ payload: [UInt8]) -> [UInt8] {
        [0x60, 0, 0, 0] + be16(UInt16(payload.count)) + [next, 64]
            + be64(source.high) + be64(source.low) + be64(destination.high) + be64(destination.low) + payload
    }

    /// Hop-by-hop, routing or destination options: (units + 1) · 8 bytes; AH: (units + 2) · 4.
    static func extensionHeader(_ next: UInt8, units: UInt8, ah: Bool = false) -> [UInt8] {
        let length = ah ? (Int(units) + 2) * 4 : (Int(units) + 1) * 8
        return [next, units] + Array(repeating: 0, count: length - 2)
    }

    static func fragmentHeader(_ next: UInt8, offset: UInt16, more: Bool) -> [UInt8] {
        [next, 0] + be16(offset << 3 | (more ? 1 : 0)) + [0, 0, 0, 7]
    }

    static func tcp(_ source: UInt16, _ destination: UInt16) -> [UInt8] {
        be16(source) + be16(destination) + Array(repeating: 0, count: 8) + [0x50, 0x18] + Array(repeating: 0, count: 6)
    }

    static func udp(_ source: UInt16, _ destination: UInt16, payload: Int = 4) -> [UInt8] {
        be16(source) + be16(destination) + be16(UInt16(8 + payload)) + [0, 0] + Array(repeating: 0xab, count: payload)
    }

    static let icmpEcho: [UInt8] = [8, 0, 0, 0, 0, 1, 0, 1]

    static func be16(_ v: UInt16) -> [UInt8] { [UInt8(v >> 8), UInt8(v & 0xff)] }
    static func be32(_ v: UInt32) -> [UInt8] { be16(UInt16(v >> 16)) + be16(UInt16(v & 0xffff)) }
    static func be64(_ v: UInt64) -> [UInt8] { be32(UInt32(v >> 32)) + be32(UInt32(v & 0xffff_ffff)) }

    /// Parses from a buffer of exactly `bytes.count` bytes, so a read past the frame is a
    /// heap overflow that the address sanitizer reports.
    static func parse(_ bytes: some Collection<UInt8>) -> FlowKey {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: bytes.count, alignment: 1)
        defer { buffer.deallocate() }
        buffer.copyBytes(from: bytes)
        return FrameParser.parse(UnsafeRawBufferPointer(buffer))
    }
}
