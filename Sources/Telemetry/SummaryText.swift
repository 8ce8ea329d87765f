/// The per-stream summary an agent prints when it stops: the figures a developer pastes
/// into a pull request ("41 events, up to 3 retries, 1.2 ms").
public enum SummaryText {
    public static func render(_ snapshot: MetricsSnapshot) -> String {
        var lines: [String] = []
        let a = snapshot.agent
        lines.append("bpagent summary: \(CountText.of(a.streamsTotal, "stream")), \(CountText.of(a.connectFailures, "connect failure")), \(CountText.of(a.streamErrors, "stream error"))")
        for s in snapshot.streams {
            let id = s.identity
            // An observed socket (`bpagent observe`): no writes were seen, only the kernel's bytes.
            if let owner = id.owner {
                let process = owner.pid.map { " (\(owner.comm) \($0))" } ?? ""
                lines.append("stream \(id.id) \(id.proto) \(id.peer) → \(id.local)\(process) [\(s.state.label)]: "
                             + "c2s \(s.c2s.bytes) bytes, s2c \(s.s2c.bytes) bytes")
                continue
            }
            let route = id.flow.isEmpty ? "\(id.proto) \(id.peer) → \(id.upstreamPeer)" : id.flow
            lines.append("stream \(id.id) \(route) [\(s.state.label)]")
            for (name, d) in [("c2s", s.c2s), ("s2c", s.s2c)] {
                lines.append("  \(name): \(line(d))")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func line(_ d: DirectionSnapshot) -> String {
        var text = d.framesReceived > 0 ? "\(CountText.of(d.framesReceived, "frame")) in, " : ""
        text += "\(CountText.of(d.bytes, "byte")) in \(CountText.of(d.writes, "write")), \(CountText.of(d.bufferFull.total, "buffer-full event"))"
        if d.bufferFull.total > 0 {
            text += " (EAGAIN \(d.bufferFull.eagain), ENOBUFS \(d.bufferFull.enobufs))"
        }
        text += ", \(CountText.of(d.retries.total, "retry", plural: "retries")), most in one event \(d.retriesPerEventMax)"
        text += ", longest stall \(formatMicros(d.stallMaxMicros))"
        if d.retryMicros.total > 0 { text += ", held by retries \(formatMicros(d.retryMicros.total))" }
        if d.drops.total > 0 { text += ", \(CountText.of(d.drops.total, "drop")) (\(CountText.of(d.dropBytes.total, "byte")))" }
        if d.kernelDrops > 0 { text += ", \(d.kernelDrops) dropped by the kernel before the agent" }
        return text
    }

    /// `850 µs`, `12.7 ms`, `1.25 s`.
    public static func formatMicros(_ us: UInt64) -> String {
        if us < 1_000 { return "\(us) µs" }
        if us < 1_000_000 { return decimal(us, 1_000) + " ms" }
        return decimal(us, 1_000_000) + " s"
    }

    private static func decimal(_ value: UInt64, _ unit: UInt64) -> String {
        let hundredths = (value * 100 + unit / 2) / unit
        let whole = hundredths / 100, frac = hundredths % 100
        if frac == 0 { return "\(whole)" }
        if frac % 10 == 0 { return "\(whole).\(frac / 10)" }
        return "\(whole).\(frac < 10 ? "0" : "")\(frac)"
    }
}
