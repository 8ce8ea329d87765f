import Telemetry

/// Hand-built snapshots whose every number is known.
enum SampleSnapshot {
    /// Stalls of 5 µs, 80 µs (twice) and 2 s; drops; a queue; and addresses
    /// with `"`, `\` and a newline, which the writers must escape.
    static let busyStream = StreamSnapshot(
        identity: StreamIdentity(id: 1, proto: "unixgram", local: #"/run/vm "a"\net.sock"#, peer: "helper\nB",
                                 upstreamLocal: "", upstreamPeer: "/run/helper.sock", flow: "vlan 7 udp 10.0.0.1:53 → 10.0.0.2:9"),
        state: .open, openedAtMicros: 1_700_000_001_000_000,
        c2s: DirectionSnapshot(
            bytes: 1_048_576, writes: 16,
            bufferFull: PerCause(eagain: 3, enobufs: 1), retries: PerCause(eagain: 7, enobufs: 64),
            drops: PerReason(retryBudget: 1), dropBytes: PerReason(retryBudget: 1500),
            stallBuckets: [0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0],
            stallSumMicros: 2_000_165, stallMaxMicros: 2_000_000, retriesPerEventMax: 64, queuedBytes: 4096,
            framesReceived: 18, bytesReceived: 1_054_172, defects: PerDefect(truncated: 2),
            retryMicros: PerHow(sleep: 2_000_100, wait: 65), waitRecoveries: PerRecovery(event: 2, timer: 1)),
        s2c: DirectionSnapshot(bytes: 512, writes: 2, drops: PerReason(sendError: 1, tooLarge: 2, noStream: 3),
                               dropBytes: PerReason(sendError: 60, tooLarge: 131_014, noStream: 30),
                               framesReceived: 8, bytesReceived: 131_616, defects: PerDefect(malformed: 1), kernelDrops: 9))

    static let closedStream = StreamSnapshot(
        identity: StreamIdentity(id: 2, proto: "tcp", local: "127.0.0.1:5201", peer: "127.0.0.1:40000",
                                 upstreamLocal: "127.0.0.1:40001", upstreamPeer: "127.0.0.1:5202"),
        state: .closed, openedAtMicros: 1_700_000_002_000_000, closedAtMicros: 1_700_000_003_000_001)

    /// Totals as if the busy stream were the only one the agent ever had.
    static let agent: AgentSnapshot = {
        var agent = AgentSnapshot(
            startTimeMicros: 1_700_000_000_000_123, takenAtMicros: 1_700_000_060_500_000,
            streamsOpen: 1, streamsTotal: 2, connectFailures: 3, streamErrors: 0, flowsEvicted: 4, flowOverflowFrames: 5,
            logLinesDropped: 6)
        agent.c2s = busyStream.c2s
        agent.s2c = busyStream.s2c
        return agent
    }()

    static let oneStream = MetricsSnapshot(agent: agent, streams: [busyStream], listening: listening)
    static let twoStreams = MetricsSnapshot(agent: agent, streams: [busyStream, closedStream], listening: listening)

    /// A TCP port on IPv6 and a socket path that must be escaped.
    static let listening = [ListenInfo(proto: "tcp", address: "[::1]:5202", host: "::1", port: "5202"),
                            ListenInfo(proto: "unixgram", address: #"/run/vm "a".sock"#)]

    /// Two streams and every self-metric, with fixed values.
    static let selfReported = MetricsSnapshot(
        agent: agent, streams: [busyStream, closedStream], build: BuildInfo(version: "0.1.0", revision: "0123456789ab-dirty"),
        process: ProcessSnapshot(cpuMicros: 1_250_000, residentBytes: 17_825_792, virtualBytes: 331_350_016, openFDs: 21,
                                 maxFDs: 1_048_576, startTimeMicros: 1_699_999_999_990_000),
        exporter: ExporterSnapshot(connectionsOpen: 2, connectionsClosed: [7, 1, 0, 3], abandonedRequests: 4,
                                   responses: [3, 0, 0, 8, 1, 0], renderMicros: 48_250, lastMetricsBytes: 16_384))
}

extension SampleSnapshot {
    /// A registry bumped through the calls the relay makes, so tests cover counters →
    /// snapshot → text. Stream 1 (TCP) is open with stalls of 5 µs and 12.7 ms; stream 2 (a
    /// datagram flow) dropped frames and closed after one 2 s stall; one upstream connect failed.
    static func bumpedRegistry() -> StreamRegistry {
        let registry = StreamRegistry(startTimeMicros: 1_700_000_000_500_000)
        let a = registry.open(StreamIdentity(id: 0, proto: "tcp", local: "127.0.0.1:5201", peer: "127.0.0.1:40000"),
                              nowMicros: 1_700_000_001_000_000)
        let b = registry.open(StreamIdentity(id: 0, proto: "udp", local: "10.0.0.2:53", peer: "10.0.0.1:5353",
                                             flow: "udp 10.0.0.1:5353 → 10.0.0.2:53"),
                              nowMicros: 1_700_000_002_000_000)
        for _ in 0..<3 { a.c2s.recordWrite(bytes: 1500) }
        a.s2c.recordWrite(bytes: 100)
        a.c2s.recordBufferFull(.enobufs)
        a.c2s.recordBufferFull(.enobufs)
        for _ in 0..<5 { a.c2s.recordRetry(after: .enobufs) }
        a.c2s.recordEpisodeEnd(stallMicros: 5, retries: 1)
        a.c2s.recordEpisodeEnd(stallMicros: 12_700, retries: 4)
        b.c2s.recordDrop(.retryBudget, bytes: 1500)
        a.c2s.setQueued(bytes: 3000)
        b.s2c.recordReceived(bytes: 80)
        b.s2c.recordReceived(bytes: 90)
        b.s2c.recordDefect(.truncated)
        b.s2c.recordDrop(.sendError, bytes: 90)
        b.c2s.recordReceived(bytes: 65_507)
        b.c2s.recordDrop(.tooLarge, bytes: 65_507)
        b.c2s.recordReceived(bytes: 12)
        b.c2s.recordDrop(.noStream, bytes: 12)
        b.c2s.recordKernelDrops(41)
        b.c2s.recordKernelDrops(1)
        b.s2c.recordRetryTime(.wait, micros: 7)
        b.s2c.recordWaitRecovery(.timer)
        b.s2c.recordReceived(bytes: 300_000)
        b.s2c.recordDrop(.tooLarge, bytes: 300_000)
        a.c2s.recordRetryTime(.spin, micros: 12_705)
        registry.setFlowTableCounts(evicted: 6, overflowFrames: 8)
        b.s2c.recordBufferFull(.eagain)
        b.s2c.recordRetry(after: .eagain)
        b.s2c.recordEpisodeEnd(stallMicros: 2_000_000, retries: 1)
        registry.set(b, to: .closed, nowMicros: 1_700_000_003_000_000)
        registry.countConnectFailure()
        return registry
    }
}
