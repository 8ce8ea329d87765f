import Telemetry

/// A registry of `count` open streams with every kind of counter non-zero and addresses as a
/// loopback relay would have them, so a render writes realistic digits, not zeros.
public func loadedRegistry(streams count: Int) -> StreamRegistry {
    let start: UInt64 = 1_764_000_000_000_000
    let registry = StreamRegistry(startTimeMicros: start)
    for i in 0..<count {
        let id = StreamIdentity(id: 0, proto: "tcp", local: "127.0.0.1:5202", peer: "127.0.0.1:\(10_000 + i % 50_000)",
                                upstreamLocal: "127.0.0.1:\(60_000 - i % 50_000)", upstreamPeer: "127.0.0.1:5201")
        let r = registry.open(id, state: .open, nowMicros: start + UInt64(i))
        for c in [r.c2s, r.s2c] {
            for w in 0..<(100 + i % 37) { c.recordWrite(bytes: 65_536 + w * 1_448 + i) }
            c.recordBufferFull(.eagain)
            c.recordBufferFull(.enobufs)
            for _ in 0..<(3 + i % 5) { c.recordRetry(after: .eagain) }
            c.recordRetry(after: .enobufs)
            for k in 0..<6 { c.recordEpisodeEnd(stallMicros: UInt64(3 + (i * 7 + k * 131) % 200_000), retries: UInt64(1 + k)) }
            c.recordDrop(.policy, bytes: 1_448)
            c.recordDrop(.retryBudget, bytes: 2_896)
            c.setQueued(bytes: 1 + i % 262_144)
        }
    }
    return registry
}
