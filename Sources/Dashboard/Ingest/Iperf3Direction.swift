import Feeds

extension Iperf3Test {
    /// Which way a stream's data flows in bpagent's terms: `c2s` from the iperf3 client
    /// towards the server (the agent's listen side is the client's), `s2c` back. `--bidir`
    /// roles say it per stream; otherwise `-R` turns every stream around.
    func direction(of role: Iperf3Role?) -> String {
        switch role {
        case .txClient?, .rxServer?: "c2s"
        case .rxClient?, .txServer?: "s2c"
        case nil: reverse ? "s2c" : "c2s"
        }
    }
}
