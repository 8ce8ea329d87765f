import Telemetry
import Feeds

/// One row of an end-of-run summary: iperf3's figures for a stream (or a `[SUM]`) and, when
/// the stream was joined, the agent's for the same data.
struct RunSummaryRow: Sendable {
    let iperf3: Iperf3StreamSummary
    /// `c2s` or `s2c`, the agent's direction for this data.
    let dir: String
    /// The agent stream that carried it; nil for `[SUM]` rows and unmatched streams.
    let agentStream: AgentStreamRef?
    /// A `[SUM]` row combines the joined streams of its direction.
    let agent: AgentFigures?

    var isSum: Bool { iperf3.stream == nil }
}

/// The figures a developer pastes into a pull request, for one finished (or running) test.
struct RunSummary: Sendable {
    let test: Iperf3Test
    let rows: [RunSummaryRow]
    let join: StreamJoin.Result?

    /// `lookup` nil: no agent was watched; the rows carry iperf3's figures only.
    init(_ test: Iperf3Test, exactBytes: Bool, lookup: AgentLookup?) {
        self.test = test
        let join = lookup.map { StreamJoin.join(test, info: $0.info) }
        self.join = join
        let summaries = test.streamSummaries(exactBytes: exactBytes)
        let streamRows = summaries.filter { $0.stream != nil }.map { s in
            let dir = test.direction(of: s.role)
            let ref = s.stream.flatMap { join?.matched[$0] }
            return RunSummaryRow(iperf3: s, dir: dir, agentStream: ref, agent: ref.flatMap { lookup?.figures($0, dir: dir) })
        }
        let sumRows = summaries.filter { $0.stream == nil }.map { s in
            let dir = test.direction(of: s.role)
            let joined = streamRows.filter { $0.dir == dir }.compactMap(\.agent)
            return RunSummaryRow(iperf3: s, dir: dir, agentStream: nil,
                                 agent: joined.isEmpty ? nil : AgentFigures.combined(joined))
        }
        rows = streamRows + sumRows
    }

    /// Seconds the test measured (its last interval's end).
    var seconds: Double { test.intervals.map(\.end).max() ?? Double(test.duration ?? 0) }

    /// "c2s: 124 buffer-full events in 600 s, up to 1624 retries for one, longest stall 12.7 ms",
    /// one line per direction the agent saw.
    var headlines: [String] {
        let dirs = rows.filter { !$0.isSum }.map(\.dir)
        return ["c2s", "s2c"].filter(dirs.contains).compactMap { dir in
            let joined = rows.filter { !$0.isSum && $0.dir == dir }.compactMap(\.agent)
            guard !joined.isEmpty else { return nil }
            let all = AgentFigures.combined(joined)
            let events = Self.count(all.bufferFull), most = Self.count(all.mostRetries)
            let duration = ValueFormatter.string(seconds, unit: .seconds)
            return "\(dir): \(CountText.of(events, "buffer-full event")) in \(duration), up to \(CountText.of(most, "retry", plural: "retries")) for one, longest stall "
                + ValueFormatter.string(all.longestStall ?? 0, unit: .seconds)
        }
    }

    /// For a UDP test, one line per direction saying where its datagrams were lost: "c2s: 1,204
    /// of 85,000 datagrams lost: 1,190 in the agent's receive queue, 0 dropped by policy, 14
    /// beyond the agent". iperf3's receiver counts the loss; the agent knows what its own receive
    /// queue overflowed (the kernel's count) and what its policy gave up; the rest was lost
    /// after it (or before it reached the host's socket).
    var lossLines: [String] {
        guard test.protocolName == "UDP" else { return [] }
        return ["c2s", "s2c"].compactMap { dir in
            let streams = rows.filter { !$0.isSum && $0.dir == dir }
            let counted = streams.filter { $0.iperf3.datagrams != nil }
            guard !counted.isEmpty else { return nil }
            let sent = counted.reduce(0) { $0 + ($1.iperf3.datagrams ?? 0) }
            let lost = counted.reduce(0) { $0 + max(0, $1.iperf3.lostDatagrams ?? 0) }
            let head = "\(dir): \(CountText.grouped(lost)) of \(CountText.grouped(sent)) datagrams lost"
            let joined = streams.compactMap(\.agent)
            guard !joined.isEmpty else { return head + " (no agent stream joined: the loss cannot be placed)" }
            let all = AgentFigures.combined(joined)
            let queue = Self.count(all.kernelDrops), policy = Self.count(all.policyDrops)
            return head + ": \(CountText.grouped(queue)) in the agent's receive queue, \(CountText.grouped(policy)) dropped by policy, "
                + "\(CountText.grouped(max(0, lost - queue - policy))) beyond the agent"
        }
    }

    /// A scraped counter as a whole count; 0 for one that is missing or no count at all (a
    /// hostile exporter's NaN or 1e300 must not trap the conversion).
    private static func count(_ value: Double?) -> Int {
        guard let value, value.isFinite, value >= 0, value < 0x1p62 else { return 0 }
        return Int(value)
    }

    /// "2 of 16 iperf3 streams not matched to an agent stream: 5 (127.0.0.1:40000), 7 (…)".
    var unmatchedLine: String? {
        guard let join, !join.unmatched.isEmpty else { return nil }
        let list = join.unmatched.map { "\($0.stream) (\($0.address))" }.joined(separator: ", ")
        return "\(join.unmatched.count) of \(CountText.of(test.connections.count, "iperf3 stream")) not matched to an agent stream: \(list)"
    }
}
