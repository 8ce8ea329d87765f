// swift-tools-version:6.1
import PackageDescription

/// bptop's own modules, release on Linux: each function in a section of its own, so that gold can
/// place the functions bptop runs together (Sources/bptop/hot-code.order, Scripts/order-hot-code).
let orderableCode: [SwiftSetting] = [
    .unsafeFlags(["-Xfrontend", "-function-sections"], .when(platforms: [.linux], configuration: .release)),
]

let package = Package(
    name: "bptop",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "bpagent", targets: ["bpagent"]),
        .executable(name: "bptop", targets: ["bptop"]),
        .library(name: "Telemetry", targets: ["Telemetry"]),
        .library(name: "Dashboard", targets: ["Dashboard"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
    ],
    targets: [
        // Counters, stream identity, snapshots and the exposition writers/parsers.
        .target(name: "Telemetry", dependencies: ["CSystemShims"], swiftSettings: orderableCode),
        // Sockets, the event loop, relay modes, retry policies and fault injection.
        .target(name: "CSystemShims"),
        .target(name: "Relay", dependencies: [
            "Telemetry", "CSystemShims",
            .product(name: "Logging", package: "swift-log"),
        ]),
        // `bpagent observe`: existing sockets through the kernel's socket diagnostics (netlink).
        .target(name: "Observe", dependencies: ["Telemetry", "CSystemShims"]),
        // The system's zlib, for gzip responses.
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        // The HTTP server that serves snapshots on a unix socket and/or TCP loopback.
        .target(name: "Exporter", dependencies: [
            "Telemetry", "CZlib",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
        ]),
        // Clients that turn outside data into samples: scrapes over unix/TCP, iperf3 output.
        .target(name: "Feeds", dependencies: ["Telemetry"], swiftSettings: orderableCode),
        // Time-series store, rates, dashboard definitions, widgets and the cell grid. The shipped
        // dashboards are compiled in (`PackageResources`), so `--dashboard NAME` works anywhere.
        .target(name: "Dashboard", dependencies: ["Telemetry", "Feeds"], resources: [.embedInCode("Dashboards")],
                swiftSettings: orderableCode),
        // No pkgConfig: ncursesw's .pc adds -D_DEFAULT_SOURCE/-D_XOPEN_SOURCE, which SwiftPM refuses
        // with a warning on every build; shim.h sets what the header needs.
        .systemLibrary(name: "CNcurses", providers: [.apt(["libncurses-dev"])]),
        // The one ncurses backend: draws a cell grid, reads keys, follows resizes.
        .target(name: "Terminal", dependencies: ["CNcurses", "Dashboard"], swiftSettings: orderableCode,
                linkerSettings: [.linkedLibrary("tinfo", .when(platforms: [.linux]))]),
        // Recordings of runs (README "Recording format"): the writer, the reader that yields the
        // recorded events, and the OpenMetrics/CSV export. zlib compresses them.
        .target(name: "Recording", dependencies: ["Telemetry", "Feeds", "Dashboard", "CZlib"], swiftSettings: orderableCode),
        // bptop's application loops: the live view, --once and the report's scrapes, signals.
        .target(name: "Session", dependencies: ["Dashboard", "Feeds", "Recording", "Telemetry", "Terminal"],
                swiftSettings: orderableCode),
        .executableTarget(name: "bptop", dependencies: [
            "Telemetry", "Feeds", "Dashboard", "Recording", "Session",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ],
        exclude: ["hot-code.order"],
        swiftSettings: orderableCode,
        // Swift's runtime and FoundationEssentials (which ArgumentParser brings) linked in: only
        // the pages bptop touches are resident, 13.0 MB idle instead of 16.7 MB with the shared
        // libraries (issue 15: bptop at most 16 MB beside htop). The two libraries the static
        // FoundationEssentials needs are named here because ArgumentParser is compiled without
        // `-static-stdlib`, so its autolink entries do not name them. Not position-independent:
        // a PIE's 1 MB of relocations are read and applied at start, dirtying every page of
        // metadata they point into; without them bptop's peak at 64 streams was 1.8 MB lower.
        // The functions bptop runs are placed together (hot-code.order, by absolute path: the link
        // runs wherever SwiftPM runs it): the kernel maps 64 KB around each page touched in the
        // binary, so scattered over 11 MB of code they kept ~6 MB resident.
        linkerSettings: [
            .unsafeFlags(["-static-stdlib", "-Xclang-linker", "-no-pie"], .when(platforms: [.linux], configuration: .release)),
            .unsafeFlags(["-Xlinker", "--section-ordering-file=\(Context.packageDirectory)/Sources/bptop/hot-code.order"],
                         .when(platforms: [.linux], configuration: .release)),
            .linkedLibrary("_FoundationCollections", .when(platforms: [.linux], configuration: .release)),
            .linkedLibrary("_FoundationCShims", .when(platforms: [.linux], configuration: .release)),
        ],
        plugins: ["BuildRevision"]),
        .executableTarget(name: "bpagent", dependencies: [
            "Telemetry", "Relay", "Exporter", "CSystemShims", "Observe",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ], plugins: ["BuildRevision"]),
        // Records the git revision in the binary (`--version`, `bpagent_build_info`).
        .plugin(name: "BuildRevision", capability: .buildTool()),
        // SplitMix64 for the random and fuzz tests of every test target (test targets share no code).
        .target(name: "SeededRandom", path: "Tests/SeededRandom"),
        .testTarget(name: "TelemetryTests", dependencies: ["Telemetry", "SeededRandom"], exclude: ["Golden", "Fixtures"]),
        .testTarget(name: "FeedsTests", dependencies: ["Feeds", "Telemetry"], exclude: ["Fixtures"]),
        .testTarget(name: "DashboardTests", dependencies: ["Dashboard", "Feeds", "Telemetry", "SeededRandom"]),
        .testTarget(name: "RecordingTests", dependencies: ["Recording", "Dashboard", "Feeds", "Telemetry"]),
        .testTarget(name: "TerminalTests", dependencies: ["Terminal", "Dashboard"]),
        .testTarget(name: "RelayTests", dependencies: ["Relay", "Telemetry", "SeededRandom"]),
        .testTarget(name: "ObserveTests", dependencies: ["Observe", "Telemetry"]),
        .testTarget(name: "ExporterTests", dependencies: [
            "Exporter", "Telemetry",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "NIOCore", package: "swift-nio"),
        ]),
    ]
)
