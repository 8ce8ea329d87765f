// Nanoseconds per frame of the agent's own per-frame work, as `DatagramPump.run` does it for a
// frame that is written at once: FlowStreams.counters (parse + flow lookup + defect count),
// recordReceived, recordWrite. Frames are Ethernet/IPv4/UDP from FLOWS source ports in turn,
// already in memory (no syscalls). Prints the best and median of REPS repetitions, in
// thread CPU time.
@testable import Relay
import Logging
import Telemetry
#if canImport(Glibc)
import Glibc
#endif

let env = { (name: String, fallback: Int) -> Int in getenv(name).flatMap { Int(String(cString: $0)) } ?? fallback }
let reps = env("REPS", 7)
let framesPerRep = env("FRAMES", 20_000_000)

/// An Ethernet/IPv4/UDP frame of `size` bytes from 10.0.0.1:`port` to 10.0.0.2:5201.
func frame(size: Int, port: Int) -> [UInt8] {
    var f = [UInt8](repeating: 0x5a, count: size)
    let head: [UInt8] = [2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x08, 0x00,
                         0x45, 0, 0, 0, 0, 0, 0x40, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2]
    f.replaceSubrange(0..<head.count, with: head)
    let ipLength = size - 14, udpLength = size - 34
    f[16] = UInt8(ipLength >> 8); f[17] = UInt8(ipLength & 0xff)
    f[34] = UInt8(port >> 8); f[35] = UInt8(port & 0xff)
    f[36] = UInt8(5201 >> 8); f[37] = UInt8(5201 & 0xff)
    f[38] = UInt8(udpLength >> 8); f[39] = UInt8(udpLength & 0xff)
    f[40] = 0; f[41] = 0
    return f
}

func tenths(_ x: Double) -> String { "\(Int(x))." + "\(Int(x * 10) % 10)" }
func pad(_ x: some CustomStringConvertible, _ n: Int) -> String {
    let s = x.description
    return String(repeating: " ", count: max(0, n - s.count)) + s
}

/// This thread's CPU time: on a machine shared with other work, wall time would count the
/// time spent waiting for a core.
func threadCPUNanos() -> Int {
    var t = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
    return t.tv_sec * 1_000_000_000 + t.tv_nsec
}

@inline(never)
func run(_ flows: FlowStreams, _ frames: [UnsafeRawBufferPointer], count: Int, nowMicros: UInt64) -> Double {
    let start = threadCPUNanos()
    var i = 0
    for _ in 0..<count {
        let f = frames[i]
        i = i + 1 == frames.count ? 0 : i + 1
        flows.counters(for: f, side: .c2s, nowMicros: nowMicros)._withUnsafeGuaranteedRef {
            $0.recordReceived(bytes: f.count)
            $0.recordWrite(bytes: f.count)
        }
    }
    return Double(threadCPUNanos() - start) / Double(count)
}

print("frame-cost: \(reps) repetitions of \(framesPerRep) frames; ns per frame (parse + flow lookup + count)")
print("frame B  flows   best  median  target")
for size in [64, 1500] {
    for flowCount in [1, 1000] {
        let registry = StreamRegistry()
        let flows = FlowStreams(capacity: 4096, idleTimeoutMicros: 60_000_000, registry: registry,
                                logger: Logger(label: "frame-cost"))
        let storage = (0..<flowCount).map { frame(size: size, port: 10_000 + $0) }
        let pointers = storage.map { bytes -> UnsafeRawBufferPointer in
            let p = UnsafeMutableRawBufferPointer.allocate(byteCount: bytes.count, alignment: 16)
            p.copyBytes(from: bytes)
            return UnsafeRawBufferPointer(p)
        }
        let now = Clocks.monotonicMicros()
        _ = run(flows, pointers, count: max(flowCount * 2, 100_000), nowMicros: now)  // open every flow, warm up
        var times = (0..<reps).map { _ in run(flows, pointers, count: framesPerRep, nowMicros: now) }
        times.sort()
        print("\(pad(size, 7)) \(pad(flowCount, 6)) \(pad(tenths(times[0]), 6)) \(pad(tenths(times[times.count / 2]), 7))  ≤ 50")
        pointers.forEach { UnsafeMutableRawBufferPointer(mutating: $0).deallocate() }
    }
}
