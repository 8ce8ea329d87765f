import Dispatch

/// `bpagent relay` with `--proto both`: the TCP relay and the UDP relay on the same port, each
/// on its own thread with its own event loop, so a busy UDP run never delays the TCP
/// connections beside it (iperf3's control connection among them) and the two share nothing
/// but the registry.
public final class RelayPair: Sendable {
    public let tcp: TCPRelay
    public let udp: UDPRelay

    public init(tcp: TCPRelay, udp: UDPRelay) {
        self.tcp = tcp
        self.udp = udp
    }

    /// Runs both until `requestStop()`; returns once both have stopped.
    public func run() {
        let done = DispatchSemaphore(value: 0)
        let udp = udp
        DispatchQueue(label: "bpagent.udp").async {
            udp.run()
            done.signal()
        }
        tcp.run()
        done.wait()
    }

    public func requestStop() {
        tcp.requestStop()
        udp.requestStop()
    }
}
