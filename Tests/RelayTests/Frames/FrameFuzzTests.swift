import Testing
@testable import Relay

/// Random and mutated frames must never trap, and (under `-sanitize=address`, since
/// `FrameBuilder.parse` copies into a buffer of exactly the frame's size) never read past it.
@Suite struct FrameFuzzTests {
    /// SplitMix64: seeded, so a failure reproduces.
    struct SeededGenerator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9e37_79b9_7f4a_7c15
            var z = state
            z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
            z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
            return z ^ (z >> 31)
        }
    }

    @Test func randomBuffers() {
        var rng = SeededGenerator(state: 1)
        let ethertypes: [UInt16] = [0x0800, 0x86dd, 0x8100, 0x88a8, 0x0806]
        var kinds: [FlowKey.Kind: Int] = [:]
        for _ in 0..<100_000 {
            var bytes = (0..<Int.random(in: 0...200, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            // Steer half of them past the Ethernet header, or they would all be "other".
            if bytes.count >= 15, Bool.random(using: &rng) {
                let type = ethertypes.randomElement(using: &rng)!
                bytes[12] = UInt8(type >> 8)
                bytes[13] = UInt8(type & 0xff)
                bytes[14] = type == 0x86dd ? 0x60 : 0x45
            }
            kinds[FrameBuilder.parse(bytes).kind, default: 0] += 1
        }
        #expect(kinds[.ipv4, default: 0] > 1000 && kinds[.ipv6, default: 0] > 1000 && kinds[.unknown, default: 0] > 0)
    }

    @Test func mutatedFrames() {
        var rng = SeededGenerator(state: 2)
        let frames = (FrameCase.all + FrameCase.malformed).map(\.frame)
        var withPorts = 0
        for _ in 0..<10_000 {
            var bytes = frames.randomElement(using: &rng)!
            for _ in 0..<Int.random(in: 1...4, using: &rng) {
                bytes[Int.random(in: 0..<bytes.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
            }
            if Bool.random(using: &rng) { bytes.removeLast(Int.random(in: 0..<bytes.count, using: &rng)) }
            if FrameBuilder.parse(bytes).sourcePort != 0 { withPorts += 1 }
        }
        #expect(withPorts > 1000)
    }
}
