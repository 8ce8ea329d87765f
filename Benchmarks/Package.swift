// swift-tools-version:6.1
// Micro-benchmarks for bpagent's Telemetry module: counter update cost and /metrics render
// time. Run with `bash Scripts/bench-micro` from the repository root (release build).
//
// Needs the root package to export Telemetry as a library product:
//     .library(name: "Telemetry", targets: ["Telemetry"]),
import PackageDescription

let package = Package(
    name: "bptop-benchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "bptop", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", exact: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        // The registry both suites render: streams with every counter non-zero.
        .target(name: "BenchFixtures", dependencies: [.product(name: "Telemetry", package: "bptop")]),
        // ordo-one/benchmark suite: `swift package benchmark` (from this directory).
        .executableTarget(
            name: "TelemetryBenchmarks",
            dependencies: [
                "BenchFixtures",
                .product(name: "Telemetry", package: "bptop"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/TelemetryBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        // bptop's cost per scrape: ingesting 64 streams and building + drawing one frame.
        .executableTarget(
            name: "bench-frame",
            dependencies: ["BenchFixtures", .product(name: "Telemetry", package: "bptop"),
                           .product(name: "Dashboard", package: "bptop")],
            path: "Sources/bench-frame"
        ),
        // Plain ContinuousClock loops printing ns/op and ms/render: what Scripts/bench-micro runs.
        .executableTarget(
            name: "bench-micro",
            dependencies: ["BenchFixtures", .product(name: "Telemetry", package: "bptop")],
            path: "Sources/bench-micro"
        ),
    ]
)
