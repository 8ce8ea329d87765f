extension RetryPolicy {
    /// The policy a byte stream uses where `self` would drop: `drop` becomes `wait`, and
    /// `sleep=…,max=N` sleeps without a budget. `bpagent relay` gives its TCP streams this
    /// (iperf3's control connection among them) when its UDP streams may drop.
    public var lossless: RetryPolicy {
        switch self {
        case .wait, .spin, .sleep(_, nil): self
        case .sleep(let micros, _?): .sleep(micros: micros, maxRetries: nil)
        case .drop: .wait
        }
    }
}
