/// An address the agent accepts traffic on, exported as `bpagent_listen_info`: before any
/// stream exists, a dashboard can tell its user where to point iperf3 ("start iperf3 through
/// 127.0.0.1:5202"). Fixed for the agent's life, so it is one series per listening socket.
public struct ListenInfo: Equatable, Sendable {
    /// `tcp`, `udp`, `unixgram`, `tap`.
    public let proto: String
    /// As a client writes it: `127.0.0.1:5202`, `[::1]:5202`, a socket path, a device name.
    public let address: String
    /// The numeric host and the port of an IP address; empty otherwise.
    public let host: String
    public let port: String

    public init(proto: String, address: String, host: String = "", port: String = "") {
        self.proto = proto
        self.address = address
        self.host = host
        self.port = port
    }
}
