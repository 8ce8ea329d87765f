import Testing
import Telemetry

/// Stream life cycle in the registry: ids, states, agent-wide counts and pruning.
@Suite struct StreamRegistryTests {
    let registry = StreamRegistry(startTimeMicros: 10)

    /// Opens one stream per entry, at times 1, 2, …, and closes those given a close time.
    @discardableResult
    func streams(closedAt times: [UInt64?]) -> [StreamRecord] {
        times.enumerated().map { i, closedAt in
            let stream = registry.open(StreamIdentity(id: 99, proto: "tcp", local: "l", peer: "p"), nowMicros: UInt64(i + 1))
            if let closedAt { registry.set(stream, to: .closed, nowMicros: closedAt) }
            return stream
        }
    }

    var ids: [UInt64] { registry.snapshot(nowMicros: 0).streams.map(\.identity.id) }

    @Test func openAssignsFreshIDs() {
        let opened = streams(closedAt: [nil, nil, nil])
        #expect(opened.map(\.identity.id) == [1, 2, 3])
        #expect(opened.map(\.state) == [.open, .open, .open])
        let snapshot = registry.snapshot(nowMicros: 50)
        #expect(snapshot.agent == AgentSnapshot(startTimeMicros: 10, takenAtMicros: 50, streamsOpen: 3, streamsTotal: 3))
        #expect(snapshot.streams.map(\.openedAtMicros) == [1, 2, 3])
    }

    /// Finishing stamps the close time once; resets and failures count as stream errors.
    @Test func finishingStates() {
        let s = streams(closedAt: [nil, nil, nil, nil, nil])
        registry.set(s[0], to: .halfClosed, nowMicros: 100)
        registry.set(s[1], to: .closed, nowMicros: 200)
        registry.set(s[1], to: .reset, nowMicros: 300)
        registry.set(s[2], to: .reset, nowMicros: 400)
        registry.set(s[3], to: .failed, nowMicros: 500)
        registry.countConnectFailure()
        let snapshot = registry.snapshot(nowMicros: 600)
        #expect(snapshot.streams.map(\.state) == [.halfClosed, .reset, .reset, .failed, .open])
        #expect(snapshot.streams.map(\.closedAtMicros) == [nil, 200, 400, 500, nil])
        #expect(snapshot.agent == AgentSnapshot(startTimeMicros: 10, takenAtMicros: 600, streamsOpen: 2,
                                                streamsTotal: 5, connectFailures: 1, streamErrors: 2))
    }

    /// A finished stream goes once `retention` has passed since it closed (at exactly
    /// `retention`, too); open streams stay however old they are.
    @Test func pruneByRetention() {
        streams(closedAt: [nil, 100, 500, 501])
        registry.prune(nowMicros: 1000, retentionMicros: 500, maxFinished: 10)
        #expect(ids == [1, 4])
        #expect(registry.snapshot().agent.streamsTotal == 4)
        #expect(registry.snapshot().agent.streamsOpen == 1)
    }

    @Test func pruneCapsFinishedStreams() {
        streams(closedAt: [nil, 100, 200, 300, 400])
        registry.prune(nowMicros: 500, retentionMicros: 10_000, maxFinished: 2)
        #expect(ids == [1, 4, 5])
        registry.prune(nowMicros: 500, retentionMicros: 10_000, maxFinished: 0)
        #expect(ids == [1])
    }

    /// Streams that expire anyway must not use up the cap: with one stream expired and two
    /// fresh under a cap of two, both fresh ones stay.
    @Test func expiredStreamsDoNotCountAgainstTheCap() {
        streams(closedAt: [900, 900, 10])
        registry.prune(nowMicros: 1000, retentionMicros: 500, maxFinished: 2)
        #expect(ids == [1, 2])
    }

    /// Over the cap, the stream closed longest ago goes first, not the one opened first:
    /// a long iperf3 run that just ended is the one a user wants to read.
    @Test func capEvictsTheLongestClosed() {
        streams(closedAt: [900, 100])
        registry.prune(nowMicros: 1000, retentionMicros: 10_000, maxFinished: 1)
        #expect(ids == [1])
    }

    /// Pruning takes streams out of the export but not out of the agent totals: sums over
    /// the streams drop, the totals never do (issue 16: 200,000 frames sent, 144,464 accounted).
    @Test func totalsSurvivePruning() {
        let s = streams(closedAt: [nil, 100, 200, 300])
        for (i, stream) in s.enumerated() {
            stream.c2s.recordWrite(bytes: 1000 * (i + 1))
            stream.s2c.recordDrop(.retryBudget, bytes: 60)
            stream.s2c.recordBufferFull(.eagain)
            stream.s2c.recordEpisodeEnd(stallMicros: 30, retries: UInt64(i))
        }
        s[1].c2s.setQueued(bytes: 500)
        let before = registry.snapshot(nowMicros: 400)
        #expect(before.agent.c2s.bytes == 10_000)
        #expect(before.agent.c2s.queuedBytes == 500)
        registry.prune(nowMicros: 400, retentionMicros: 250, maxFinished: 1)  // 100 expires, 200 goes over the cap
        let after = registry.snapshot(nowMicros: 400)
        #expect(after.streams.map(\.identity.id) == [1, 4])
        #expect(after.streams.reduce(0) { $0 + $1.c2s.bytes } == 5000)
        #expect(after.agent.c2s.bytes == 10_000)
        #expect(after.agent.c2s.writes == 4)
        #expect(after.agent.s2c.drops == PerReason(retryBudget: 4))
        #expect(after.agent.s2c.dropBytes == PerReason(retryBudget: 240))
        #expect(after.agent.s2c.bufferFull == PerCause(eagain: 4))
        #expect(after.agent.s2c.stallCount == 4)
        #expect(after.agent.s2c.retriesPerEventMax == 3)
        // A pruned stream's bytes are no longer waiting anywhere.
        #expect(after.agent.c2s.queuedBytes == 0)
        registry.prune(nowMicros: 10_000, retentionMicros: 0, maxFinished: 0)
        #expect(registry.snapshot(nowMicros: 10_000).agent.c2s.bytes == 10_000)
    }

    /// `--export-streams`: the streams listed change, the agent figures do not.
    @Test(arguments: [(StreamSelection.all, [UInt64(1), 2]), (.open, [1]), (.none, [])])
    func selection(_ selection: StreamSelection, ids: [UInt64]) {
        let s = streams(closedAt: [nil, 100])
        s[1].c2s.recordWrite(bytes: 7)
        let snapshot = registry.snapshot(nowMicros: 200, selection: selection)
        #expect(snapshot.streams.map(\.identity.id) == ids)
        #expect(snapshot.agent.c2s.bytes == 7)
        #expect(snapshot.agent.streamsOpen == 1)
        #expect(snapshot.agent.streamsTotal == 2)
    }

    /// "Keep forever" as `.max` retention must not overflow `closedAt + retention`.
    @Test func unboundedRetentionDoesNotTrap() async {
        await #expect(processExitsWith: .success) {
            let registry = StreamRegistry(startTimeMicros: 0)
            let stream = registry.open(StreamIdentity(id: 0, proto: "tcp", local: "l", peer: "p"), nowMicros: 1)
            registry.set(stream, to: .closed, nowMicros: 2)
            registry.prune(nowMicros: 3, retentionMicros: .max, maxFinished: 10)
        }
    }
}
