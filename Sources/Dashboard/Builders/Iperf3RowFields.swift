import Feeds

/// What each `Iperf3Field` shows for a row of one test's summary, as the cell a column's
/// options make of it: the iperf3 panel draws these cells, the text report writes them out, so
/// both read the same figures the same way.
struct Iperf3RowFields {
    /// Whether an agent's streams were looked up: a stream without one is then `unmatched`.
    let agentKnown: Bool
    /// Only when a column needs the intervals (one pass over a long run's intervals per frame).
    private let latest: LatestIntervals?

    init(_ summary: RunSummary, columns: [Iperf3Column]) {
        agentKnown = summary.join != nil
        let needsIntervals = columns.contains { [$0.field, $0.fallback].contains { $0?.needsIntervals == true } }
        latest = needsIntervals ? LatestIntervals(summary.test) : nil
    }

    func cell(_ column: Iperf3Column, _ row: RunSummaryRow) -> TableCell {
        var figure = figure(column.field, row)
        if case .absent = figure, let fallback = column.fallback { figure = self.figure(fallback, row) }
        switch figure {
        case .text(let s):
            return .text(row.isSum && !s.isEmpty ? column.sumPrefix + s : s)
        case .number(let value, let unit, let estimated):
            // An estimate shows the digits its source printed, in any column: `~5.89 GB`, never `~6324339343`.
            if estimated, let value { return .estimate(value, unit) }
            guard column.exact, let whole = value.flatMap(Self.whole) else { return .number(value, unit) }
            return .text(whole)
        case .absent(let unit):
            if let blank = column.blank { return .text(blank) }
            return unit.map { .number(nil, $0) } ?? .text("")
        }
    }

    /// A row's figure before a column's options apply.
    private enum Figure {
        case text(String)
        /// `estimated`: iperf3's text output rounds bytes.
        case number(Double?, DisplayUnit, estimated: Bool = false)
        /// The row has no such figure (no agent stream, no retransmits for UDP); nil unit: text.
        case absent(DisplayUnit?)
    }

    private func figure(_ field: Iperf3Field, _ row: RunSummaryRow) -> Figure {
        let s = row.iperf3
        func rate(_ bitsPerSecond: Double?) -> Figure { .number(bitsPerSecond.map { $0 / 8 }, .bitsPerSecond) }
        func count(_ n: Int?) -> Figure { n.map { .number(Double($0), .count) } ?? .absent(.count) }
        func agent(_ unit: DisplayUnit, _ value: (AgentFigures) -> Double?) -> Figure {
            row.agent.map { .number(value($0), unit) } ?? .absent(unit)
        }
        let key = LatestIntervals.Key(stream: s.stream, role: s.role)
        switch field {
        case .stream: return .text(s.stream.map(String.init) ?? "SUM")
        case .role: return s.role.map { .text($0.rawValue) } ?? .absent(nil)
        case .dir: return .text(row.dir)
        case .endpoints: return s.connection.map { .text("\($0.local.address) → \($0.remote.address)") } ?? .absent(nil)
        case .iperf3Now: return rate(latest?.last[key]?.bitsPerSecond)
        case .bytes: return .number(Double(s.bytes), .bytes, estimated: !s.bytesExact)
        case .mean: return rate(s.meanBitsPerSecond)
        case .min: return rate(s.minBitsPerSecond)
        case .max: return rate(s.maxBitsPerSecond)
        case .retransmits: return count(s.retransmits)
        case .retransmitsSoFar: return count(s.retransmits ?? latest?.retransmits[key])
        case .loss: return s.datagrams.map { .text("\(s.lostDatagrams ?? 0)/\($0)") } ?? .absent(nil)
        case .lossSoFar:
            if let total = s.datagrams { return .text("\(s.lostDatagrams ?? 0)/\(total)") }
            return latest?.loss[key].map { .text("\($0.lost)/\($0.total)") } ?? .absent(nil)
        case .jitter: return s.jitterMs.map { .number($0 / 1000, .seconds) } ?? .absent(.seconds)
        case .agentStream: return .text(agentStream(row))
        case .agentNow: return agent(.bitsPerSecond, \.bytesPerSecond)
        case .agentBytes: return agent(.bytes, \.bytes)
        case .bufferFull: return agent(.count, \.bufferFull)
        case .bufferFullPerSecond: return agent(.perSecond, \.bufferFullPerSecond)
        case .retries: return agent(.count, \.retries)
        case .retriesPerSecond: return agent(.perSecond, \.retriesPerSecond)
        case .mostRetries: return agent(.count, \.mostRetries)
        case .longestStall: return agent(.seconds, \.longestStall)
        case .policyDrops: return agent(.count, \.policyDrops)
        case .kernelDrops: return agent(.count, \.kernelDrops)
        case .sndbufLimitedPerSecond: return agent(.count, \.sndbufLimitedPerSecond)
        case .rwndLimitedPerSecond: return agent(.count, \.rwndLimitedPerSecond)
        case .sndbufLimited: return agent(.seconds, \.sndbufLimited)
        case .rwndLimited: return agent(.seconds, \.rwndLimited)
        }
    }

    private func agentStream(_ row: RunSummaryRow) -> String {
        if let ref = row.agentStream { return "\(ref.stream) \(row.dir)" }
        if row.isSum { return row.agent == nil ? "" : row.dir }
        return agentKnown ? "unmatched" : "–"
    }

    /// A count as all its digits; nil for what is not one (negative, NaN, beyond 64 bits).
    private static func whole(_ value: Double) -> String? {
        value >= 0 && value < 0x1p64 ? String(UInt64(value)) : nil
    }
}

extension Iperf3Field {
    /// Numbers and `lost/total` line up on the right, names and addresses on the left.
    var alignsRight: Bool {
        switch self {
        case .stream, .role, .dir, .endpoints, .agentStream: false
        default: true
        }
    }

    fileprivate var needsIntervals: Bool { self == .iperf3Now || self == .retransmitsSoFar || self == .lossSoFar }
}

extension [Iperf3Column] {
    /// The columns a test's rows get: agent-only ones need the agent's streams, and a column
    /// for one protocol needs a test of it (a test that does not say is taken for TCP).
    func shown(agentKnown: Bool, protocolName: String?) -> [Iperf3Column] {
        let proto = protocolName.flatMap { Iperf3Protocol(rawValue: $0.lowercased()) } ?? .tcp
        return filter { (agentKnown || !$0.agentOnly) && ($0.proto == nil || $0.proto == proto) }
    }
}

/// Each stream's newest interval and its retransmits so far, from one pass over the test's
/// intervals (a live row needs both, every frame, and a long run has many intervals).
private struct LatestIntervals {
    struct Key: Hashable {
        let stream: Int?
        let role: Iperf3Role?
    }

    private(set) var last: [Key: Iperf3Interval] = [:]
    private(set) var retransmits: [Key: Int] = [:]
    /// UDP datagrams lost and sent so far, from the receiver's intervals.
    private(set) var loss: [Key: (lost: Int, total: Int)] = [:]

    init(_ test: Iperf3Test) {
        for interval in test.intervals where interval.stream != nil {
            let key = Key(stream: interval.stream, role: interval.role)
            last[key] = interval
            if let r = interval.retransmits { retransmits[key, default: 0] += r }
            if let total = interval.datagrams, let lost = interval.lostDatagrams {
                let sofar = loss[key] ?? (0, 0)
                loss[key] = (sofar.lost + max(0, lost), sofar.total + total)
            }
        }
    }
}
