import Foundation
import Testing
@testable import Feeds

/// `bptop demo`'s servers with the real bpagent and iperf3: a UDP demo's client runs through
/// the relay (TCP control, UDP data on the same port) and the agent counts its UDP streams.
@Suite struct DemoServersTests {
    /// The bpagent this package built next to the tests (`.build/debug`).
    static let bpagent = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../../.build/debug/bpagent").standardized.path

    @Test func aUDPDemoRunsThroughTheRelay() throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.bpagent), "build bpagent first")
        let servers = try DemoServers.start(bpagent: Self.bpagent)
        defer { servers.stop() }
        let arguments = servers.clientArguments(parallel: 2, seconds: 1, udpBitrate: "10M")
        #expect(Array(arguments.suffix(3)) == ["-u", "-b", "10M"])
        let client = try ChildProcess.spawn(arguments, output: .null)
        #expect(client.wait() == .exited(0))
        let metrics = try Self.curl(unix: servers.metricsSocket)
        // Each of the client's four UDP sockets (-P 2 --bidir) is a stream of the agent.
        let info = metrics.split(separator: "\n").filter { $0.hasPrefix("bpagent_stream_info{") }
        #expect(info.filter { $0.contains(#"proto="udp""#) }.count == 4)
        #expect(info.filter { $0.contains(#"proto="tcp""#) }.count == 1)
    }

    /// `/metrics` of the agent at `path`, read with curl.
    static func curl(unix path: String) throws -> String {
        let child = try ChildProcess.spawn(["curl", "-sS", "--max-time", "10", "--unix-socket", path, "http://localhost/metrics"],
                                           output: .pipe)
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while case let n = read(child.outputFD!, &chunk, chunk.count), n > 0 { bytes += chunk[0..<n] }
        close(child.outputFD!)
        #expect(child.wait() == .exited(0))
        return String(decoding: bytes, as: UTF8.self)
    }
}
