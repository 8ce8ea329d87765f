/// Renders a `MetricsSnapshot` as Prometheus text exposition format 0.0.4.
///
/// Families come in a fixed order and streams in id order, so two scrapes of an idle agent
/// are byte-identical. Every stream-direction always has every series (zeros included), so
/// scripts never have to guess whether a missing line means zero.
public enum PrometheusTextWriter: SnapshotFormat {
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"
    /// ≈ 5.3 KB today.
    public static let bytesPerStream = 6144

    public static func write(_ snapshot: MetricsSnapshot, into w: inout ByteWriter) {
        let prefixes = labelPrefixes(snapshot)
        let a = snapshot.agent
        header(&w, "bpagent_start_time_seconds", "gauge", "Wall-clock time the agent started, in seconds since the Unix epoch.")
        w.append("bpagent_start_time_seconds ")
        w.append(microsAsSeconds: a.startTimeMicros)
        w.append("\n")
        scalar(&w, "bpagent_streams_open", "gauge", "Streams not yet closed.", a.streamsOpen)
        scalar(&w, "bpagent_streams_total", "counter", "Streams accepted since start.", a.streamsTotal)
        scalar(&w, "bpagent_connect_failures_total", "counter", "Upstream connects that failed.", a.connectFailures)
        scalar(&w, "bpagent_stream_errors_total", "counter", "Streams that ended in a reset or socket error.", a.streamErrors)
        scalar(&w, "bpagent_flows_evicted_total", "counter", "Datagram flows forgotten after being idle (their streams closed).", a.flowsEvicted)
        scalar(&w, "bpagent_flows_overflow_frames_total", "counter",
               "Datagram frames counted under the overflow stream because the flow table was full.", a.flowOverflowFrames)
        scalar(&w, "bpagent_log_lines_dropped_total", "counter", "Log lines given up because stderr was not read fast enough.", a.logLinesDropped)

        header(&w, "bpagent_stream_info", "gauge", "Stream identity (always 1), for joining with iperf3 by address and port.")
        for s in snapshot.streams {
            let id = s.identity
            w.append("bpagent_stream_info{stream=\"")
            w.append(decimal: id.id)
            w.append("\",proto=\""); w.append(labelValue: id.proto)
            w.append("\",local=\""); w.append(labelValue: id.local)
            w.append("\",peer=\""); w.append(labelValue: id.peer)
            w.append("\",upstream_local=\""); w.append(labelValue: id.upstreamLocal)
            w.append("\",upstream_peer=\""); w.append(labelValue: id.upstreamPeer)
            if !id.flow.isEmpty { w.append("\",flow=\""); w.append(labelValue: id.flow) }
            w.append("\",state=\""); w.append(string: s.state.label)
            w.append("\"} 1\n")
        }

        perDirection(&w, snapshot, prefixes, "bpagent_bytes_total", "counter", "Bytes delivered to the destination.") { d, w, p in
            p(&w, nil, d.bytes)
        }
        perDirection(&w, snapshot, prefixes, "bpagent_writes_total", "counter", "Successful writes (frames, for datagram modes).") { d, w, p in
            p(&w, nil, d.writes)
        }
        perDirection(&w, snapshot, prefixes, "bpagent_buffer_full_total", "counter",
                     "Writes that failed with a full buffer (one per blocked write, however many retries follow).") { d, w, p in
            p(&w, ",errno=\"EAGAIN\"", d.bufferFull.eagain)
            p(&w, ",errno=\"ENOBUFS\"", d.bufferFull.enobufs)
        }
        perDirection(&w, snapshot, prefixes, "bpagent_retries_total", "counter",
                     "Write attempts repeated after a buffer-full failure, by the errno of that failure.") { d, w, p in
            p(&w, ",errno=\"EAGAIN\"", d.retries.eagain)
            p(&w, ",errno=\"ENOBUFS\"", d.retries.enobufs)
        }
        perDirection(&w, snapshot, prefixes, "bpagent_drops_total", "counter", "Writes given up by the retry policy.") { d, w, p in
            p(&w, ",reason=\"policy\"", d.drops.policy)
            p(&w, ",reason=\"retry_budget\"", d.drops.retryBudget)
            p(&w, ",reason=\"send_error\"", d.drops.sendError)
            p(&w, ",reason=\"too_large\"", d.drops.tooLarge)
            p(&w, ",reason=\"no_stream\"", d.drops.noStream)
        }
        perDirection(&w, snapshot, prefixes, "bpagent_dropped_bytes_total", "counter", "Bytes given up by the retry policy.") { d, w, p in
            p(&w, ",reason=\"policy\"", d.dropBytes.policy)
            p(&w, ",reason=\"retry_budget\"", d.dropBytes.retryBudget)
            p(&w, ",reason=\"send_error\"", d.dropBytes.sendError)
            p(&w, ",reason=\"too_large\"", d.dropBytes.tooLarge)
            p(&w, ",reason=\"no_stream\"", d.dropBytes.noStream)
        }
        writeStallHistogram(&w, snapshot, prefixes)
        perDirection(&w, snapshot, prefixes, "bpagent_stall_max_seconds", "gauge", "Longest single stall so far.") { d, w, p in
            p(&w, nil, d.stallMaxMicros)
        }
        perDirection(&w, snapshot, prefixes, "bpagent_retries_per_event_max", "gauge", "Most retries a single buffer-full event needed.") { d, w, p in
            p(&w, nil, d.retriesPerEventMax)
        }
        perDirection(&w, snapshot, prefixes, "bpagent_queued_bytes", "gauge", "Bytes waiting inside the agent right now.") { d, w, p in
            p(&w, nil, d.queuedBytes)
        }
        perDirection(&w, snapshot, prefixes, "bpagent_frames_received_total", "counter",
                     "Frames taken from the source (datagram modes; frames received = writes + drops).") { d, w, p in
            p(&w, nil, d.framesReceived)
        }
        perDirection(&w, snapshot, prefixes, "bpagent_received_bytes_total", "counter",
                     "Bytes of the frames taken from the source (datagram modes).") { d, w, p in
            p(&w, nil, d.bytesReceived)
        }
        perDirection(&w, snapshot, prefixes, "bpagent_frames_malformed_total", "counter",
                     "Frames forwarded unchanged whose headers could not all be parsed, by defect.") { d, w, p in
            p(&w, ",defect=\"truncated\"", d.defects.truncated)
            p(&w, ",defect=\"malformed\"", d.defects.malformed)
        }
        perDirection(&w, snapshot, prefixes, "bpagent_retry_seconds_total", "counter",
                     "Time buffer-full events held the writer: spinning, sleeping between retries, or in retries from the event loop.") { d, w, p in
            p(&w, ",how=\"spin\"", d.retryMicros.spin)
            p(&w, ",how=\"sleep\"", d.retryMicros.sleep)
            p(&w, ",how=\"wait\"", d.retryMicros.wait)
        }
        perDirection(&w, snapshot, prefixes, "bpagent_kernel_drops_total", "counter",
                     "Datagrams the kernel dropped because the agent's socket receive queue was full (UDP relay).") { d, w, p in
            p(&w, nil, d.kernelDrops)
        }
        perDirection(&w, snapshot, prefixes, "bpagent_wait_recoveries_total", "counter",
                     "Buffer-full events under wait that ended in a write, by what made the retry: the writable event or the retry timer.") { d, w, p in
            p(&w, ",how=\"event\"", d.waitRecoveries.event)
            p(&w, ",how=\"timer\"", d.waitRecoveries.timer)
        }
    }

    /// Writes one sample of the current family: `(extra labels, value)`.
    typealias SampleWriter = (inout ByteWriter, StaticString?, UInt64) -> Void

    private static func header(_ w: inout ByteWriter, _ name: StaticString, _ type: StaticString, _ help: StaticString) {
        w.append("# HELP "); w.append(name); w.append(" "); w.append(help); w.append("\n")
        w.append("# TYPE "); w.append(name); w.append(" "); w.append(type); w.append("\n")
    }

    private static func scalar(_ w: inout ByteWriter, _ name: StaticString, _ type: StaticString, _ help: StaticString, _ value: UInt64) {
        header(&w, name, type, help)
        w.append(name); w.append(" "); w.append(decimal: value); w.append("\n")
    }

    /// `{stream="N",dir="c2s"` for every stream-direction (index `2 × stream + dir`), built once
    /// per render: every per-direction line starts with one of these.
    private static func labelPrefixes(_ snapshot: MetricsSnapshot) -> [[UInt8]] {
        var prefixes: [[UInt8]] = []
        prefixes.reserveCapacity(snapshot.streams.count * 2)
        for s in snapshot.streams {
            for dir in Direction.allCases {
                var w = ByteWriter(capacity: 32)
                w.append("{stream=\""); w.append(decimal: s.identity.id)
                w.append(dir == .c2s ? "\",dir=\"c2s\"" : "\",dir=\"s2c\"")
                prefixes.append(w.bytes)
            }
        }
        return prefixes
    }

    /// `,le="0.000005"} ` … `,le="+Inf"} `, one per stall bucket.
    private static let bucketLabels: [[UInt8]] = (0..<StallBuckets.count).map { i in
        var w = ByteWriter(capacity: 32)
        w.append(",le=\"")
        if i < StallBuckets.upperBoundsMicros.count {
            w.append(microsAsSeconds: StallBuckets.upperBoundsMicros[i])
        } else {
            w.append("+Inf")
        }
        w.append("\"} ")
        return w.bytes
    }

    /// One family with a sample (or several) for every stream-direction. Values of families
    /// whose name ends in `_seconds` are microseconds and are written as seconds.
    private static func perDirection(
        _ w: inout ByteWriter, _ snapshot: MetricsSnapshot, _ prefixes: [[UInt8]], _ name: StaticString,
        _ type: StaticString, _ help: StaticString, _ body: (DirectionSnapshot, inout ByteWriter, SampleWriter) -> Void
    ) {
        header(&w, name, type, help)
        let seconds = name.description.hasSuffix("_seconds") || name.description.hasSuffix("_seconds_total")
        for i in snapshot.streams.indices {
            for dir in Direction.allCases {
                let prefix = prefixes[2 * i + dir.rawValue]
                let sample: SampleWriter = { w, extra, value in
                    w.append(name)
                    w.append(contentsOf: prefix)
                    if let extra { w.append(extra) }
                    w.append("} ")
                    if seconds { w.append(microsAsSeconds: value) } else { w.append(decimal: value) }
                    w.append("\n")
                }
                // Passed straight from the array (not through `?:`), so the direction is borrowed,
                // not copied with its bucket array, once per family per stream-direction.
                if dir == .c2s { body(snapshot.streams[i].c2s, &w, sample) } else { body(snapshot.streams[i].s2c, &w, sample) }
            }
        }
    }

    private static func writeStallHistogram(_ w: inout ByteWriter, _ snapshot: MetricsSnapshot, _ prefixes: [[UInt8]]) {
        header(&w, "bpagent_stall_seconds", "histogram", "Per buffer-full event: time from the first failed attempt to the write that ended it.")
        for i in snapshot.streams.indices {
            for dir in Direction.allCases {
                let prefix = prefixes[2 * i + dir.rawValue]
                let d = dir == .c2s ? snapshot.streams[i].c2s : snapshot.streams[i].s2c
                var cumulative: UInt64 = 0
                for (b, count) in d.stallBuckets.enumerated() {
                    cumulative += count
                    w.append("bpagent_stall_seconds_bucket")
                    w.append(contentsOf: prefix)
                    w.append(contentsOf: bucketLabels[b])
                    w.append(decimal: cumulative); w.append("\n")
                }
                w.append("bpagent_stall_seconds_sum"); w.append(contentsOf: prefix)
                w.append("} "); w.append(microsAsSeconds: d.stallSumMicros); w.append("\n")
                w.append("bpagent_stall_seconds_count"); w.append(contentsOf: prefix)
                w.append("} "); w.append(decimal: cumulative); w.append("\n")
            }
        }
    }
}
