// ordo-one/benchmark suite for the Telemetry hot paths (the same cases as bench-micro, with
// malloc and instruction counts). From Benchmarks/: `swift package benchmark`, or run the
// built executable directly (`.build/release/TelemetryBenchmarks`) for its debug output.
import BenchFixtures
import Benchmark
import Synchronization
import Telemetry

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .instructions, .mallocCountTotal],
        maxDuration: .seconds(3), maxIterations: 1_000)

    Benchmark("DirectionCounters.recordWrite", configuration: .init(scalingFactor: .mega)) { benchmark in
        let c = DirectionCounters()
        for i in benchmark.scaledIterations { c.recordWrite(bytes: 1 + (i & 0xFFFF)) }
        blackHole(c.bytes.load(ordering: .relaxed))
    }

    Benchmark("Atomic.wrappingAdd relaxed", configuration: .init(scalingFactor: .mega)) { benchmark in
        let c = DirectionCounters()
        for i in benchmark.scaledIterations { c.bytes.wrappingAdd(UInt64(1 + (i & 0xFFFF)), ordering: .relaxed) }
        blackHole(c.bytes.load(ordering: .relaxed))
    }

    for count in [1_000, 10_000] {
        let reg = loadedRegistry(streams: count)
        Benchmark("registry.snapshot \(count) streams") { benchmark in
            for _ in benchmark.scaledIterations { blackHole(reg.snapshot()) }
        }
        let snapshot = reg.snapshot()
        Benchmark("PrometheusTextWriter.render \(count) streams") { benchmark in
            for _ in benchmark.scaledIterations { blackHole(PrometheusTextWriter.render(snapshot)) }
        }
        Benchmark("render(registry.snapshot()) \(count) streams") { benchmark in
            for _ in benchmark.scaledIterations { blackHole(PrometheusTextWriter.render(reg.snapshot())) }
        }
    }
}
