/// Renders a `MetricsSnapshot` as JSON: the same values as the Prometheus text, in base units
/// (bytes, counts, seconds with microsecond resolution), grouped per stream for scripts.
public enum JSONWriter: SnapshotFormat {
    public static let contentType = "application/json"
    /// ≈ 1.9 KB today.
    public static let bytesPerStream = 2304

    public static func write(_ snapshot: MetricsSnapshot, into w: inout ByteWriter) {
        let a = snapshot.agent
        w.append("{\"start_time_seconds\":"); w.append(microsAsSeconds: a.startTimeMicros)
        w.append(",\"time_seconds\":"); w.append(microsAsSeconds: a.takenAtMicros)
        w.append(",\"streams_open\":"); w.append(decimal: a.streamsOpen)
        w.append(",\"streams_total\":"); w.append(decimal: a.streamsTotal)
        w.append(",\"connect_failures_total\":"); w.append(decimal: a.connectFailures)
        w.append(",\"stream_errors_total\":"); w.append(decimal: a.streamErrors)
        w.append(",\"flows_evicted_total\":"); w.append(decimal: a.flowsEvicted)
        w.append(",\"flows_overflow_frames_total\":"); w.append(decimal: a.flowOverflowFrames)
        w.append(",\"log_lines_dropped_total\":"); w.append(decimal: a.logLinesDropped)
        w.append(",\"listening\":[")
        for (i, l) in snapshot.listening.enumerated() {
            w.append(i > 0 ? ",{\"proto\":" : "{\"proto\":"); w.append(jsonString: l.proto)
            w.append(",\"address\":"); w.append(jsonString: l.address)
            w.append(",\"host\":"); w.append(jsonString: l.host)
            w.append(",\"port\":"); w.append(jsonString: l.port); w.append("}")
        }
        w.append("]")
        w.append(",\"totals\":{\"c2s\":"); direction(&w, a.c2s)
        w.append(",\"s2c\":"); direction(&w, a.s2c)
        w.append("},\"streams\":[")
        for (i, s) in snapshot.streams.enumerated() {
            if i > 0 { w.append(",") }
            stream(&w, s)
        }
        w.append("]}\n")
    }

    private static func stream(_ w: inout ByteWriter, _ s: StreamSnapshot) {
        let id = s.identity
        w.append("{\"stream\":\""); w.append(decimal: id.id)
        w.append("\",\"proto\":"); w.append(jsonString: id.proto)
        w.append(",\"local\":"); w.append(jsonString: id.local)
        w.append(",\"peer\":"); w.append(jsonString: id.peer)
        w.append(",\"upstream_local\":"); w.append(jsonString: id.upstreamLocal)
        w.append(",\"upstream_peer\":"); w.append(jsonString: id.upstreamPeer)
        w.append(",\"flow\":"); w.append(jsonString: id.flow)
        w.append(",\"state\":"); w.append(jsonString: s.state.label)
        w.append(",\"opened_at_seconds\":"); w.append(microsAsSeconds: s.openedAtMicros)
        w.append(",\"closed_at_seconds\":")
        if let closed = s.closedAtMicros { w.append(microsAsSeconds: closed) } else { w.append("null") }
        w.append(",\"c2s\":"); direction(&w, s.c2s)
        w.append(",\"s2c\":"); direction(&w, s.s2c)
        if let owner = id.owner {
            w.append(",\"pid\":"); if let pid = owner.pid { w.append(decimal: UInt64(pid)) } else { w.append("null") }
            w.append(",\"comm\":"); w.append(jsonString: owner.comm)
            w.append(",\"inode\":"); w.append(decimal: owner.inode)
        }
        if let o = s.observed { observed(&w, o) }
        w.append("}")
    }

    /// `bpagent observe`'s kernel figures, with the same names as the Prometheus series.
    private static func observed(_ w: inout ByteWriter, _ o: ObservedSnapshot) {
        w.append(",\"observed\":{\"send_dir\":"); w.append(jsonString: o.sendDirection.label)
        w.append(",\"send_queue_bytes\":"); w.append(decimal: o.sendQueueBytes)
        w.append(",\"send_queue_limit_bytes\":"); w.append(decimal: o.sendLimitBytes)
        w.append(",\"receive_queue_bytes\":"); w.append(decimal: o.receiveQueueBytes)
        w.append(",\"receive_queue_limit_bytes\":"); w.append(decimal: o.receiveLimitBytes)
        w.append(",\"drops\":"); w.append(decimal: o.drops)
        w.append(",\"tcp\":")
        if let t = o.tcp {
            w.append("{\"sndbuf_limited_seconds\":"); w.append(microsAsSeconds: t.sndbufLimitedMicros)
            w.append(",\"rwnd_limited_seconds\":"); w.append(microsAsSeconds: t.rwndLimitedMicros)
            w.append(",\"busy_seconds\":"); w.append(microsAsSeconds: t.busyMicros)
            w.append(",\"notsent_bytes\":"); w.append(decimal: t.notsentBytes)
            w.append(",\"retransmits\":"); w.append(decimal: t.retransmits)
            w.append(",\"rtt_seconds\":"); w.append(microsAsSeconds: t.rttMicros)
            w.append(",\"cwnd_segments\":"); w.append(decimal: t.cwnd)
            w.append(",\"delivery_rate_bytes_per_second\":"); w.append(decimal: t.deliveryRateBytesPerSecond)
            w.append("}")
        } else {
            w.append("null")
        }
        w.append(",\"datagrams\":")
        if let d = o.datagrams {
            w.append("{\"queued\":"); w.append(decimal: d.datagrams)
            w.append(",\"limit\":"); w.append(decimal: d.limit)
            w.append(",\"full_seconds\":"); w.append(microsAsSeconds: d.fullMicros)
            w.append("}")
        } else {
            w.append("null")
        }
        w.append("}")
    }

    private static func direction(_ w: inout ByteWriter, _ d: DirectionSnapshot) {
        w.append("{\"bytes\":"); w.append(decimal: d.bytes)
        w.append(",\"writes\":"); w.append(decimal: d.writes)
        w.append(",\"buffer_full\":{\"EAGAIN\":"); w.append(decimal: d.bufferFull.eagain)
        w.append(",\"ENOBUFS\":"); w.append(decimal: d.bufferFull.enobufs)
        w.append("},\"retries\":{\"EAGAIN\":"); w.append(decimal: d.retries.eagain)
        w.append(",\"ENOBUFS\":"); w.append(decimal: d.retries.enobufs)
        w.append("},\"drops\":{\"policy\":"); w.append(decimal: d.drops.policy)
        w.append(",\"retry_budget\":"); w.append(decimal: d.drops.retryBudget)
        w.append(",\"send_error\":"); w.append(decimal: d.drops.sendError)
        w.append(",\"too_large\":"); w.append(decimal: d.drops.tooLarge)
        w.append(",\"no_stream\":"); w.append(decimal: d.drops.noStream)
        w.append("},\"dropped_bytes\":{\"policy\":"); w.append(decimal: d.dropBytes.policy)
        w.append(",\"retry_budget\":"); w.append(decimal: d.dropBytes.retryBudget)
        w.append(",\"send_error\":"); w.append(decimal: d.dropBytes.sendError)
        w.append(",\"too_large\":"); w.append(decimal: d.dropBytes.tooLarge)
        w.append(",\"no_stream\":"); w.append(decimal: d.dropBytes.noStream)
        w.append("},\"stall_seconds\":{\"count\":"); w.append(decimal: d.stallCount)
        w.append(",\"sum\":"); w.append(microsAsSeconds: d.stallSumMicros)
        w.append(",\"max\":"); w.append(microsAsSeconds: d.stallMaxMicros)
        w.append(",\"buckets\":[")
        var cumulative: UInt64 = 0
        for (i, count) in d.stallBuckets.enumerated() {
            cumulative += count
            if i > 0 { w.append(",") }
            w.append("{\"le\":")
            if i < StallBuckets.upperBoundsMicros.count {
                w.append(microsAsSeconds: StallBuckets.upperBoundsMicros[i])
            } else {
                w.append("\"+Inf\"")
            }
            w.append(",\"count\":"); w.append(decimal: cumulative); w.append("}")
        }
        w.append("]},\"retries_per_event_max\":"); w.append(decimal: d.retriesPerEventMax)
        w.append(",\"queued_bytes\":"); w.append(decimal: d.queuedBytes)
        w.append(",\"frames_received\":"); w.append(decimal: d.framesReceived)
        w.append(",\"received_bytes\":"); w.append(decimal: d.bytesReceived)
        w.append(",\"frames_malformed\":{\"truncated\":"); w.append(decimal: d.defects.truncated)
        w.append(",\"malformed\":"); w.append(decimal: d.defects.malformed)
        w.append("},\"retry_seconds\":{\"spin\":"); w.append(microsAsSeconds: d.retryMicros.spin)
        w.append(",\"sleep\":"); w.append(microsAsSeconds: d.retryMicros.sleep)
        w.append(",\"wait\":"); w.append(microsAsSeconds: d.retryMicros.wait)
        w.append("},\"kernel_drops\":"); w.append(decimal: d.kernelDrops)
        w.append(",\"wait_recoveries\":{\"event\":"); w.append(decimal: d.waitRecoveries.event)
        w.append(",\"timer\":"); w.append(decimal: d.waitRecoveries.timer)
        w.append("}")
        w.append("}")
    }
}
