// swift-tools-version:6.1
// The datagram relay's own cost per frame (issue 15), measured in process: header parse, flow
// lookup and counting, the work `DatagramPump` does per frame between its recvmsg and send.
// Run with `Scripts/bench-frame-cost` (release build). The relay's sources are compiled here
// from the root package (symlinks) with testing enabled, because the per-frame path
// (`FlowStreams`) is internal to Relay and should stay so.
import PackageDescription

let package = Package(
    name: "frame-cost",
    platforms: [.macOS(.v15)],
    dependencies: [.package(url: "https://github.com/apple/swift-log", from: "1.16.2")],
    targets: [
        .target(name: "Telemetry"),
        .target(name: "CSystemShims"),
        .target(name: "Relay", dependencies: ["Telemetry", "CSystemShims", .product(name: "Logging", package: "swift-log")],
                swiftSettings: [.unsafeFlags(["-enable-testing"])]),
        .executableTarget(name: "frame-cost", dependencies: ["Relay", "Telemetry", .product(name: "Logging", package: "swift-log")]),
    ]
)
