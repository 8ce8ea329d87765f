import Telemetry

/// The agent's figures for one direction of one stream.
struct AgentFigures: Equatable, Sendable {
    var bytes: Double?
    var bytesPerSecond: Double?
    var bufferFull: Double?
    var bufferFullPerSecond: Double?
    var retries: Double?
    var retriesPerSecond: Double?
    /// The most retries one buffer-full event needed.
    var mostRetries: Double?
    /// The longest single stall, seconds.
    var longestStall: Double?
    /// Frames or datagrams the agent's policy gave up (every reason of `bpagent_drops_total`).
    var policyDrops: Double? = nil
    /// Datagrams the kernel dropped because the agent's receive queue was full.
    var kernelDrops: Double? = nil
    /// `bpagent observe`: seconds the kernel saw the sender limited by its send buffer or by
    /// the receiver's window, in all and per second now.
    var sndbufLimited: Double?
    var sndbufLimitedPerSecond: Double?
    var rwndLimited: Double?
    var rwndLimitedPerSecond: Double?

    /// Totals over several directions: counts add up, maxima take the largest.
    static func combined(_ all: [AgentFigures]) -> AgentFigures {
        func sum(_ v: (AgentFigures) -> Double?) -> Double? {
            let present = all.compactMap(v)
            return present.isEmpty ? nil : present.reduce(0, +)
        }
        return AgentFigures(bytes: sum(\.bytes), bytesPerSecond: sum(\.bytesPerSecond), bufferFull: sum(\.bufferFull),
                            bufferFullPerSecond: sum(\.bufferFullPerSecond), retries: sum(\.retries),
                            retriesPerSecond: sum(\.retriesPerSecond), mostRetries: all.compactMap(\.mostRetries).max(),
                            longestStall: all.compactMap(\.longestStall).max(), policyDrops: sum(\.policyDrops),
                            kernelDrops: sum(\.kernelDrops), sndbufLimited: sum(\.sndbufLimited),
                            sndbufLimitedPerSecond: sum(\.sndbufLimitedPerSecond), rwndLimited: sum(\.rwndLimited),
                            rwndLimitedPerSecond: sum(\.rwndLimitedPerSecond))
    }
}

/// Looks up the agent's figures per stream and direction from the newest scrapes, with one
/// evaluation per metric for the whole frame (shared with the dashboard's own columns).
struct AgentLookup {
    private var figures: [String: AgentFigures] = [:]
    /// `bpagent_stream_info` label sets, for the join.
    let info: [[PrometheusSample.Label]]

    init(memo: QueryMemo) {
        let by = [Query.sourceLabel, "stream", "dir"]
        func values(_ metric: String, rate: Bool = false) -> [String: Double] {
            let results = memo.evaluate(Query(metric: metric, rate: rate, sumBy: by), slots: 2)
            var out: [String: Double] = [:]
            for r in results {
                let key = Self.key(r[label: Query.sourceLabel] ?? "", r[label: "stream"] ?? "", r[label: "dir"] ?? "")
                // The newest value, or the one before when the newest scrape failed.
                if let v = r.values.last(where: { $0 != nil }) ?? nil { out[key] = v }
            }
            return out
        }
        let bytes = values("bpagent_bytes_total"), bytesRate = values("bpagent_bytes_total", rate: true)
        let full = values("bpagent_buffer_full_total"), fullRate = values("bpagent_buffer_full_total", rate: true)
        let retries = values("bpagent_retries_total"), retriesRate = values("bpagent_retries_total", rate: true)
        let most = values("bpagent_retries_per_event_max"), stall = values("bpagent_stall_max_seconds")
        let drops = values("bpagent_drops_total"), kernelDrops = values("bpagent_kernel_drops_total")
        let sndbuf = values("bpagent_observed_sndbuf_limited_seconds_total")
        let sndbufRate = values("bpagent_observed_sndbuf_limited_seconds_total", rate: true)
        let rwnd = values("bpagent_observed_rwnd_limited_seconds_total")
        let rwndRate = values("bpagent_observed_rwnd_limited_seconds_total", rate: true)
        for key in bytes.keys {
            figures[key] = AgentFigures(bytes: bytes[key], bytesPerSecond: bytesRate[key], bufferFull: full[key],
                                        bufferFullPerSecond: fullRate[key], retries: retries[key],
                                        retriesPerSecond: retriesRate[key], mostRetries: most[key], longestStall: stall[key],
                                        policyDrops: drops[key], kernelDrops: kernelDrops[key],
                                        sndbufLimited: sndbuf[key], sndbufLimitedPerSecond: sndbufRate[key],
                                        rwndLimited: rwnd[key], rwndLimitedPerSecond: rwndRate[key])
        }
        info = memo.evaluate(Query(metric: "bpagent_stream_info"), slots: 1).map(\.labels)
    }

    func figures(_ stream: AgentStreamRef, dir: String) -> AgentFigures? {
        figures[Self.key(stream.instance, stream.stream, dir)]
    }

    private static func key(_ instance: String, _ stream: String, _ dir: String) -> String {
        "\(instance)\u{1F}\(stream)\u{1F}\(dir)"
    }
}
