#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SeededRandom
import Testing
import Telemetry
@testable import Relay

/// Random and mutated frames through everything a frame meets in the relay — the parser, the
/// flow table, a new flow's labels — must never trap, and (under `-sanitize=address`, since
/// `FrameBuilder.parse` copies into a buffer of exactly the frame's size) never read past it.
/// CI runs a slice; `Scripts/fuzz-frames` runs millions (`FRAME_FUZZ_INPUTS`, `FRAME_FUZZ_SEED`).
@Suite struct FrameFuzzTests {
    /// Inputs per test: `FRAME_FUZZ_INPUTS`, else `slice` (CI).
    static func inputs(_ slice: Int) -> Int {
        getenv("FRAME_FUZZ_INPUTS").flatMap { Int(String(cString: $0)) } ?? slice
    }

    static var seed: UInt64 { getenv("FRAME_FUZZ_SEED").flatMap { UInt64(String(cString: $0)) } ?? 1 }

    /// A bounded flow table that also names every new flow, as `FlowStreams` does, with a clock
    /// that moves so idle flows are evicted and their slots reused.
    struct Pipeline: ~Copyable {
        var table = FlowTable(capacity: 1024, idleTimeout: .milliseconds(5))
        var nowMicros: UInt64 = 0
        var labelBytes = 0

        mutating func feed(_ bytes: [UInt8]) -> FlowKey {
            let key = FrameBuilder.parse(bytes)
            nowMicros += 7
            switch table.lookup(key, nowMicros: nowMicros).event {
            case .inserted, .replaced:
                let id = key.identity()
                labelBytes += id.flow.utf8.count + id.peer.utf8.count + id.local.utf8.count + id.proto.utf8.count
            case .existing, .overflow:
                break
            }
            return key
        }
    }

    /// Figures for `Scripts/fuzz-frames`, printed only when it asks (`FRAME_FUZZ_INPUTS`).
    static func report(_ name: String, _ count: Int, _ pipeline: borrowing Pipeline, start: UInt64) {
        guard getenv("FRAME_FUZZ_INPUTS") != nil else { return }
        var usage = rusage()
        #if canImport(Glibc)
        getrusage(Int32(RUSAGE_SELF.rawValue), &usage)  // ru_maxrss in KiB
        #else
        getrusage(RUSAGE_SELF, &usage)
        #endif
        let seconds = Double(Clocks.monotonicMicros() - start) / 1e6
        print("frame fuzz \(name): \(count) inputs (seed \(seed)) in \(Int(seconds)) s, \(Int(Double(count) / seconds)) /s, "
            + "\(pipeline.table.evictedCount) evictions, \(pipeline.table.overflowCount) overflow, max RSS \(usage.ru_maxrss / 1024) MB")
    }

    @Test func randomBuffers() {
        var rng = SeededGenerator(seed: Self.seed)
        var pipeline = Pipeline()
        let ethertypes: [UInt16] = [0x0800, 0x86dd, 0x8100, 0x88a8, 0x0806]
        var kinds: [FlowKey.Kind: Int] = [:]
        let count = Self.inputs(100_000), start = Clocks.monotonicMicros()
        for _ in 0..<count {
            var bytes = (0..<Int.random(in: 0...200, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            // Steer half of them past the Ethernet header, or they would all be "other".
            if bytes.count >= 15, Bool.random(using: &rng) {
                let type = ethertypes.randomElement(using: &rng)!
                bytes[12] = UInt8(type >> 8)
                bytes[13] = UInt8(type & 0xff)
                bytes[14] = type == 0x86dd ? 0x60 : 0x45
            }
            kinds[pipeline.feed(bytes).kind, default: 0] += 1
        }
        Self.report("random", count, pipeline, start: start)
        #expect(kinds[.ipv4, default: 0] > count / 100 && kinds[.ipv6, default: 0] > count / 100 && kinds[.unknown, default: 0] > 0)
        #expect(pipeline.table.evictedCount > 0 && pipeline.labelBytes > 0)
    }

    @Test func mutatedFrames() {
        var rng = SeededGenerator(seed: Self.seed &+ 1)
        var pipeline = Pipeline()
        let frames = (FrameCase.all + FrameCase.malformed).map(\.frame)
        var withPorts = 0
        let count = Self.inputs(10_000), start = Clocks.monotonicMicros()
        for _ in 0..<count {
            var bytes = frames.randomElement(using: &rng)!
            for _ in 0..<Int.random(in: 1...4, using: &rng) {
                bytes[Int.random(in: 0..<bytes.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
            }
            if Bool.random(using: &rng) { bytes.removeLast(Int.random(in: 0..<bytes.count, using: &rng)) }
            if pipeline.feed(bytes).sourcePort != 0 { withPorts += 1 }
        }
        Self.report("mutated", count, pipeline, start: start)
        #expect(withPorts > count / 10)
    }
}
