// Plain micro-benchmarks for the Telemetry hot paths: (a) timed with ContinuousClock, (b) with the thread CPU clock:
//   (a) counter update cost: DirectionCounters.recordWrite(bytes:) vs Atomic.wrappingAdd (relaxed)
//   (b) /metrics: registry.snapshot() and PrometheusTextWriter.render(_:) for 1,000 and 10,000
//       streams with non-zero counters, and the output size.
// Each figure is measured REPS times; the table shows the best and the median repetition.
// Run in release: `bash Scripts/bench-micro` (env: REPS=7, OPS=200000000; PROFILE=N, see below).
import BenchFixtures
import Foundation
import Synchronization
import Telemetry

let reps = Int(ProcessInfo.processInfo.environment["REPS"] ?? "") ?? 7
let ops = Int(ProcessInfo.processInfo.environment["OPS"] ?? "") ?? 200_000_000

@inline(never) func opaque<T>(_ x: T) -> T { x }
@inline(never) func sink<T>(_ x: T) { withExtendedLifetime(x) {} }

func nanos(_ d: Duration) -> Double {
    let c = d.components
    return Double(c.seconds) * 1e9 + Double(c.attoseconds) / 1e9
}

/// Runs `body` `reps` times, returns (best, median) of the nanoseconds it reported per unit.
func measure(_ body: () -> Double) -> (best: Double, median: Double) {
    var xs = (0..<reps).map { _ in body() }
    xs.sort()
    return (xs[0], xs[xs.count / 2])
}

func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s : s + String(repeating: " ", count: n - s.count) }
func lpad(_ s: String, _ n: Int) -> String { s.count >= n ? s : String(repeating: " ", count: n - s.count) + s }
func fmt(_ x: Double, _ digits: Int = 2) -> String { String(format: "%.\(digits)f", x) }

// MARK: (a) counter update cost

// Byte counts vary so nothing can be folded; the counters come through an opaque call so the
// optimizer cannot see that nobody else reads them.
@inline(never)
func loopRecordWrite(_ c: DirectionCounters, _ n: Int) -> Double {
    let start = ContinuousClock.now
    for i in 0..<n { c.recordWrite(bytes: 1 + (i & 0xFFFF)) }
    return nanos(ContinuousClock.now - start) / Double(n)
}

@inline(never)
func loopSingleWriterAdd(_ a: borrowing Atomic<UInt64>, _ n: Int) -> Double {
    let start = ContinuousClock.now
    for i in 0..<n { a.singleWriterAdd(UInt64(1 + (i & 0xFFFF))) }
    return nanos(ContinuousClock.now - start) / Double(n)
}

@inline(never)
func loopWrappingAdd(_ a: borrowing Atomic<UInt64>, _ n: Int) -> Double {
    let start = ContinuousClock.now
    for i in 0..<n { a.wrappingAdd(UInt64(1 + (i & 0xFFFF)), ordering: .relaxed) }
    return nanos(ContinuousClock.now - start) / Double(n)
}

/// What recordWrite would cost with locked read-modify-writes: two `wrappingAdd`s.
@inline(never)
func loopTwoWrappingAdds(_ c: DirectionCounters, _ n: Int) -> Double {
    let start = ContinuousClock.now
    for i in 0..<n {
        c.bytes.wrappingAdd(UInt64(1 + (i & 0xFFFF)), ordering: .relaxed)
        c.writes.wrappingAdd(1, ordering: .relaxed)
    }
    return nanos(ContinuousClock.now - start) / Double(n)
}

/// The loop alone (index arithmetic, no counter), to show what the figures above include.
@inline(never)
func loopEmpty(_ n: Int) -> Double {
    var acc: UInt64 = 0
    let start = ContinuousClock.now
    for i in 0..<n { acc = opaque(acc &+ UInt64(1 + (i & 0xFFFF))) }
    let t = nanos(ContinuousClock.now - start) / Double(n)
    sink(acc)
    return t
}

/// FNV-1a of `bytes`, to compare two builds' output byte for byte.
func fnv1a(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for b in bytes { hash = (hash ^ UInt64(b)) &* 0x100_0000_01b3 }
    return hash
}

// PROFILE=N: only the exporter's render of 10,000 streams (snapshot + render into a kept
// writer), N times, for `perf record` on this binary; prints a hash of the text.
if let rounds = Int(ProcessInfo.processInfo.environment["PROFILE"] ?? "") {
    let registry = loadedRegistry(streams: 10_000)
    var kept = ByteWriter()
    for _ in 0..<rounds { PrometheusTextWriter.render(registry.snapshot(), into: &kept) }
    let hash = kept.withUnsafeBytes { fnv1a($0) }
    print("bench-micro: \(rounds) renders of 10,000 streams, \(kept.count) bytes each, FNV-1a \(String(hash, radix: 16))")
    exit(0)
}

let counters = opaque(DirectionCounters())
let atomic = opaque(DirectionCounters())
// Warm up (page in, let the CPU clock up).
_ = loopRecordWrite(counters, ops / 10)

print("bench-micro: \(reps) repetitions, best and median; \(ops) operations per counter repetition")
print("")
print("(a) counter update cost")
print("\(pad("operation", 58)) \(lpad("best ns/op", 11)) \(lpad("median", 8))")
let counterCases: [(String, () -> Double)] = [
    ("DirectionCounters.recordWrite(bytes:)  [2 relaxed ld+st]", { loopRecordWrite(counters, ops) }),
    ("Atomic<UInt64>.singleWriterAdd  [1 relaxed ld+st]", { loopSingleWriterAdd(atomic.bytes, ops) }),
    ("Atomic<UInt64>.wrappingAdd(ordering: .relaxed)  [lock xadd]", { loopWrappingAdd(atomic.writes, ops) }),
    ("recordWrite done with 2 x wrappingAdd(.relaxed)", { loopTwoWrappingAdds(atomic, ops) }),
    ("empty loop (opaque call per iteration, for reference)", { loopEmpty(ops / 4) }),
]
for (name, body) in counterCases {
    let r = measure(body)
    print("\(pad(name, 58)) \(lpad(fmt(r.best), 11)) \(lpad(fmt(r.median), 8))")
}
sink(counters.bytes.load(ordering: .relaxed) &+ atomic.bytes.load(ordering: .relaxed))

// MARK: (b) /metrics render

/// Milliseconds of this thread's CPU time `body` took: on 2 cores shared with other builds a
/// wall clock counts the time spent waiting for a core, the thread's CPU clock does not.
func millis(_ body: () -> Void) -> Double {
    func now() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
        return Double(t.tv_sec) * 1e3 + Double(t.tv_nsec) / 1e6
    }
    let start = now()
    body()
    return now() - start
}

// The agent's heap after its first scrape: the response went out in 256 KiB pieces, freed and
// kept (AgentRuntime.keepScrapeMemoryMapped: trim threshold 256 MB), so a scrape's snapshot and
// writers are carved from memory already mapped. Without this the 5.6 MB snapshot array of
// 10,000 streams was a fresh mapping here at every call, faulted in page by page: 6 ms the
// agent does not pay (0 page faults per scrape, `Scripts/bench-metrics`).
do {
    let pieces = (0..<256).map { _ in [UInt8](repeating: 1, count: 256 << 10) }
    sink(pieces)
}

print("")
print("(b) /metrics render (Prometheus text), ms of thread CPU time per call; load \((try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?.prefix(14) ?? "?")")
print("\(pad("streams", 8)) \(pad("what", 38)) \(lpad("best ms", 9)) \(lpad("median", 8)) \(lpad("target", 7))")
for (count, target) in [(1_000, 5.0), (10_000, 50.0)] {
    let registry = loadedRegistry(streams: count)
    let warm = PrometheusTextWriter.render(registry.snapshot())
    let size = warm.count
    let inner = count >= 10_000 ? 1 : 5
    let snap = measure {
        var t = 0.0
        for _ in 0..<inner { t += millis { sink(registry.snapshot()) } }
        return t / Double(inner)
    }
    let snapshot = registry.snapshot()
    let render = measure {
        var t = 0.0
        for _ in 0..<inner { t += millis { sink(PrometheusTextWriter.render(snapshot)) } }
        return t / Double(inner)
    }
    let both = measure {
        var t = 0.0
        for _ in 0..<inner { t += millis { sink(PrometheusTextWriter.render(registry.snapshot())) } }
        return t / Double(inner)
    }
    // The exporter's path: a writer kept between scrapes (its pages already mapped), then one
    // copy of the text into the response body.
    var kept = ByteWriter()
    PrometheusTextWriter.render(registry.snapshot(), into: &kept)
    let reused = measure {
        var t = 0.0
        for _ in 0..<inner { t += millis { PrometheusTextWriter.render(registry.snapshot(), into: &kept) } }
        return t / Double(inner)
    }
    // The copy as the exporter makes it: 1 MiB pieces (heap allocations, reused between scrapes).
    let exporter = measure {
        var t = 0.0
        for _ in 0..<inner {
            t += millis {
                PrometheusTextWriter.render(registry.snapshot(), into: &kept)
                sink(kept.withUnsafeBytes { all in
                    stride(from: 0, to: all.count, by: 1 << 20).map { Array(all[$0..<min($0 + (1 << 20), all.count)]) }
                })
            }
        }
        return t / Double(inner)
    }
    let json = measure {
        var t = 0.0
        for _ in 0..<inner { t += millis { sink(JSONWriter.render(registry.snapshot())) } }
        return t / Double(inner)
    }
    let jsonSize = JSONWriter.render(registry.snapshot()).count
    func row(_ what: String, _ r: (best: Double, median: Double), _ t: String) {
        print("\(pad(String(count), 8)) \(pad(what, 38)) \(lpad(fmt(r.best, 3), 9)) \(lpad(fmt(r.median, 3), 8)) \(lpad(t, 7))")
    }
    row("registry.snapshot()", snap, "")
    row("PrometheusTextWriter.render(snapshot)", render, "")
    row("render(registry.snapshot())", both, "")
    row("  into a writer kept between scrapes", reused, "")
    row("  + copy into 1 MiB response pieces", exporter, "≤ \(Int(target))")
    row("JSONWriter.render(registry.snapshot())", json, "")
    print("\(pad(String(count), 8)) output: \(size) bytes Prometheus text (\(size / count) B/stream), \(jsonSize) bytes JSON")
}
