import Telemetry

/// Whether a TCP port has a listener, read from /proc/net/tcp and tcp6 (Linux) rather than by
/// connecting: a probe connection would count as a client to iperf3's server.
enum ListeningPorts {
    static func contains(_ port: Int) -> Bool {
        #if os(Linux)
        let hex = String(port, radix: 16, uppercase: true)
        let hexPort = ":" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        for table in ["/proc/net/tcp", "/proc/net/tcp6"] {
            guard let bytes = FileBytes.read(table) else { continue }
            for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n").dropFirst() {
                let fields = line.split(separator: " ")
                // local_address is "IP:PORT" in hex; state 0A is LISTEN.
                if fields.count > 3, fields[1].hasSuffix(hexPort), fields[3] == "0A" { return true }
            }
        }
        return false
        #else
        return true
        #endif
    }
}
