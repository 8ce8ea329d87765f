#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Telemetry

/// What `bptop demo` runs around the dashboard: an iperf3 server and a bpagent relay in front
/// of it, on free loopback ports, with the agent's metrics socket and log in a private
/// temporary directory. `stop()` ends both and removes the directory.
public final class DemoServers {
    public let directory: String
    public let serverPort: Int
    public let relayPort: Int
    public var metricsSocket: String { directory + "/agent.sock" }
    public var agentLog: String { directory + "/bpagent.log" }
    private var processes: [ChildProcess] = []

    private init(directory: String, serverPort: Int, relayPort: Int) {
        self.directory = directory
        self.serverPort = serverPort
        self.relayPort = relayPort
    }

    /// Starts both and waits (up to 10 s) until they listen. `bpagent` is the agent's path;
    /// `agentOptions` go to its relay command (`--on-full spin`, `--inject …`).
    public static func start(bpagent: String, agentOptions: [String] = []) throws(DemoError) -> DemoServers {
        var template = Array("\(tmpDirectory())/bptop-demo.XXXXXX".utf8CString)
        guard mkdtemp(&template) != nil else { throw DemoError("cannot create a temporary directory: \(String(cString: strerror(errno)))") }
        let directory = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        guard let serverPort = freePort(), let relayPort = freePort(excluding: serverPort) else {
            rmdir(directory)
            throw DemoError("no free loopback port")
        }
        let demo = DemoServers(directory: directory, serverPort: serverPort, relayPort: relayPort)
        do {
            try demo.launch(["iperf3", "-s", "-B", "127.0.0.1", "-p", String(serverPort)], output: .null)
            try demo.waitUntil("iperf3 -s", listening: serverPort) { ListeningPorts.contains(serverPort) }
            try demo.launch([bpagent, "relay", "--listen", "127.0.0.1:\(relayPort)", "--connect", "127.0.0.1:\(serverPort)",
                             "--metrics", "unix:\(demo.metricsSocket)"] + agentOptions, output: .file(demo.agentLog))
            try demo.waitUntil("bpagent", listening: relayPort) {
                ListeningPorts.contains(relayPort) && access(demo.metricsSocket, F_OK) == 0
            }
        } catch {
            demo.stop()
            throw error
        }
        return demo
    }

    /// The client bptop runs as its child: `-P parallel --bidir -t seconds` through the relay.
    /// With `udpBitrate` (`1G`, `200M`) the data streams are UDP at that rate each (`-u -b`): the
    /// relay takes them on the same port, and the control connection stays on TCP.
    public func clientArguments(parallel: Int, seconds: Int, udpBitrate: String? = nil) -> [String] {
        let tcp = ["iperf3", "-c", "127.0.0.1", "-p", String(relayPort), "-P", String(parallel), "--bidir", "-t", String(seconds)]
        guard let udpBitrate else { return tcp }
        return tcp + ["-u", "-b", udpBitrate]
    }

    /// Stops every process this started (SIGTERM, then SIGKILL) and removes its files.
    public func stop() {
        for process in processes.reversed() { process.terminate() }
        processes = []
        for file in [metricsSocket, agentLog] { unlink(file) }
        rmdir(directory)
    }

    private func launch(_ arguments: [String], output: ChildProcess.Output) throws(DemoError) {
        do {
            processes.append(try ChildProcess.spawn(arguments, output: output))
        } catch {
            throw DemoError("\(error)")
        }
    }

    private func waitUntil(_ program: String, listening port: Int, _ ready: () -> Bool) throws(DemoError) {
        for _ in 0..<200 {
            if ready() { return }
            if let ended = processes.last?.poll() {
                processes.removeLast()
                throw DemoError("\(program) ended (\(ended)) before listening on port \(port)\(agentError())")
            }
            usleep(50_000)
        }
        throw DemoError("\(program) did not listen on port \(port) within 10 s\(agentError())")
    }

    /// The agent's error line (or its last line), to say why it did not start.
    private func agentError() -> String {
        guard let bytes = FileBytes.read(agentLog) else { return "" }
        let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n")
        guard let line = lines.last(where: { $0.lowercased().contains("error") }) ?? lines.last else { return "" }
        return ": \(line)"
    }

    private static func tmpDirectory() -> String {
        guard let t = getenv("TMPDIR"), t.pointee != 0 else { return "/tmp" }
        return String(cString: t)
    }

    /// A loopback port nothing listens on right now (the kernel's choice for port 0), on TCP
    /// and on UDP: the relay and iperf3's server take both.
    private static func freePort(excluding other: Int = 0) -> Int? {
        for _ in 0..<10 {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            guard fd >= 0 else { return nil }
            defer { close(fd) }
            var addr = sockaddr_in()
            addr.sin_family = sa_family_t(AF_INET)
            addr.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian
            var len = socklen_t(MemoryLayout<sockaddr_in>.size)
            let ok = withUnsafeMutablePointer(to: &addr) { p in
                p.withMemoryRebound(to: sockaddr.self, capacity: 1) { sa in
                    bind(fd, sa, len) == 0 && getsockname(fd, sa, &len) == 0
                }
            }
            guard ok else { return nil }
            let port = Int(UInt16(bigEndian: addr.sin_port))
            if port != other && udpIsFree(addr) { return port }
        }
        return nil
    }
}

extension DemoServers {
    /// Whether a UDP socket can bind `address` now.
    private static func udpIsFree(_ address: sockaddr_in) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var addr = address
        return withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }
}

public struct DemoError: Error, CustomStringConvertible, Sendable {
    public let description: String
    init(_ description: String) { self.description = description }
}
