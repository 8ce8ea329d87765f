/// Writes one snapshot in one dialect: the engine behind `PrometheusTextWriter` and
/// `OpenMetricsWriter`, so both list the same series in the same order.
///
/// The order: build and process figures, agent-wide counts and totals, the exporter's own
/// figures, then the per-stream families (the bulk), each with every stream in id order.
struct ExpositionWriter {
    let dialect: ExpositionDialect
    let snapshot: MetricsSnapshot
    /// `{stream="N",dir="c2s"` for every stream-direction (index `2 × stream + dir`), built once
    /// per render: every per-stream line starts with one of these.
    private let streamPrefixes: [[UInt8]]
    /// `{dir="c2s"` and `{dir="s2c"`, for the agent totals.
    private static let directionPrefixes: [[UInt8]] = Direction.allCases.map { Array("{dir=\"\($0.label)\"".utf8) }

    init(dialect: ExpositionDialect, snapshot: MetricsSnapshot) {
        self.dialect = dialect
        self.snapshot = snapshot
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
        streamPrefixes = prefixes
    }

    func write(into w: inout ByteWriter) {
        let a = snapshot.agent
        if let build = snapshot.build { writeBuild(build, into: &w) }
        if !snapshot.listening.isEmpty { writeListening(into: &w) }
        if let process = snapshot.process { writeProcess(process, into: &w) }
        header(&w, "bpagent_start_time_seconds", .gauge, .seconds, "Wall-clock time the agent started, in seconds since the Unix epoch.")
        gauge(&w, "bpagent_start_time_seconds", nil, nil, a.startTimeMicros, .seconds)
        scalar(&w, "bpagent_streams_open", .gauge, "Streams not yet closed.", a.streamsOpen)
        scalar(&w, "bpagent_streams", .counter, "Streams accepted since start.", a.streamsTotal)
        scalar(&w, "bpagent_connect_failures", .counter, "Upstream connects that failed.", a.connectFailures)
        scalar(&w, "bpagent_stream_errors", .counter, "Streams that ended in a reset or socket error.", a.streamErrors)
        scalar(&w, "bpagent_flows_evicted", .counter, "Datagram flows forgotten after being idle (their streams closed).", a.flowsEvicted)
        scalar(&w, "bpagent_flows_overflow_frames", .counter,
               "Datagram frames counted under the overflow stream because the flow table was full.", a.flowOverflowFrames)
        scalar(&w, "bpagent_log_lines_dropped", .counter,
               "Log lines dropped because stderr was not being read (the relay never waits for it).", a.logLinesDropped)
        writeAgentTotals(into: &w)
        if let exporter = snapshot.exporter { writeExporter(exporter, into: &w) }
        writeStreamIdentity(into: &w)
        for family in DirectionFamily.all { writeStreams(family, into: &w) }
        writeStreamStalls(into: &w)
        if let observer = snapshot.observer { writeObserved(observer, into: &w) }
        if dialect == .openMetrics { w.append("# EOF\n") }
    }

    // MARK: Families

    private func writeAgentTotals(into w: inout ByteWriter) {
        let created = snapshot.agent.startTimeMicros
        for family in DirectionFamily.all {
            header(&w, family.agentName, family.type, family.unit, family.help)
            for dir in Direction.allCases {
                let prefix = Self.directionPrefixes[dir.rawValue]
                family.samples(snapshot.agent[totals: dir]) { extra, value in
                    sample(&w, family.agentName, family.type, prefix, extra, value, family.unit, created: created)
                }
            }
        }
        header(&w, "bpagent_agent_stall_seconds", .histogram, .seconds,
               "Per buffer-full event of any stream: time from the first failed attempt to the write that ended it.")
        for dir in Direction.allCases {
            histogram(&w, "bpagent_agent_stall_seconds", Self.directionPrefixes[dir.rawValue], snapshot.agent[totals: dir],
                      created: created)
        }
    }

    private func writeStreamIdentity(into w: inout ByteWriter) {
        header(&w, "bpagent_stream", .info, nil, "Stream identity (always 1), for joining with iperf3 by address and port.")
        for s in snapshot.streams {
            let id = s.identity
            w.append("bpagent_stream_info{stream=\"")
            w.append(decimal: id.id)
            w.append("\",proto=\""); w.append(labelValue: id.proto)
            w.append("\",local=\""); w.append(labelValue: id.local)
            w.append("\",peer=\""); w.append(labelValue: id.peer)
            if let owner = id.owner {
                w.append("\",pid=\""); if let pid = owner.pid { w.append(decimal: UInt64(pid)) }
                w.append("\",comm=\""); w.append(labelValue: owner.comm)
                w.append("\",inode=\""); w.append(decimal: owner.inode)
            } else {
                w.append("\",upstream_local=\""); w.append(labelValue: id.upstreamLocal)
                w.append("\",upstream_peer=\""); w.append(labelValue: id.upstreamPeer)
            }
            if id.carriesFrames { w.append("\",flow=\""); w.append(labelValue: id.flow) }
            w.append("\"} 1\n")
        }
        header(&w, "bpagent_stream_state", .gauge, nil,
               "Stream state: 0 connecting, 1 open, 2 half-closed, 3 closed, 4 reset, 5 failed.")
        for s in snapshot.streams {
            w.append("bpagent_stream_state{stream=\""); w.append(decimal: s.identity.id)
            w.append("\"} "); w.append(decimal: s.state.code); w.append("\n")
        }
    }

    private func writeStreams(_ family: DirectionFamily, into w: inout ByteWriter) {
        header(&w, family.name, family.type, family.unit, family.help)
        for i in snapshot.streams.indices where !family.framesOnly || snapshot.streams[i].identity.carriesFrames {
            if let observed = snapshot.streams[i].observed, !family.observedToo || observed.tcp == nil { continue }
            for dir in Direction.allCases {
                let prefix = streamPrefixes[2 * i + dir.rawValue]
                func emit(_ d: borrowing DirectionSnapshot) {
                    family.samples(d) { extra, value in
                        sample(&w, family.name, family.type, prefix, extra, value, family.unit, created: nil)
                    }
                }
                // Passed straight from the array, so the direction is borrowed, not copied.
                if dir == .c2s { emit(snapshot.streams[i].c2s) } else { emit(snapshot.streams[i].s2c) }
            }
        }
    }

    private func writeStreamStalls(into w: inout ByteWriter) {
        header(&w, "bpagent_stall_seconds", .histogram, .seconds,
               "Per buffer-full event: time from the first failed attempt to the write that ended it.")
        for i in snapshot.streams.indices where snapshot.streams[i].observed == nil {
            histogram(&w, "bpagent_stall_seconds", streamPrefixes[2 * i], snapshot.streams[i].c2s, created: nil)
            histogram(&w, "bpagent_stall_seconds", streamPrefixes[2 * i + 1], snapshot.streams[i].s2c, created: nil)
        }
    }

    /// `bpagent observe`: its targets, its polls, and the kernel's figures per observed socket.
    private func writeObserved(_ observer: ObserverSnapshot, into w: inout ByteWriter) {
        let created = snapshot.agent.startTimeMicros
        header(&w, "bpagent_observed_process_running", .gauge, nil, "--pid targets: 1 while the process runs, 0 once it has exited.")
        for p in observer.processes {
            w.append("bpagent_observed_process_running{pid=\""); w.append(decimal: UInt64(p.pid))
            w.append(p.running ? "\"} 1\n" : "\"} 0\n")
        }
        scalar(&w, "bpagent_observe_polls", .counter, "Polls of the kernel's socket diagnostics.", observer.polls)
        header(&w, "bpagent_observe_poll_seconds", .counter, .seconds, "Wall time spent in polls (netlink dumps and /proc reads).")
        sample(&w, "bpagent_observe_poll_seconds", .counter, nil, nil, observer.pollMicros, .seconds, created: created)
        for family in ObservedFamily.all {
            header(&w, family.name, family.type, family.unit, family.help)
            for i in snapshot.streams.indices {
                guard let observed = snapshot.streams[i].observed else { continue }
                family.samples(observed) { dir, value in
                    sample(&w, family.name, family.type, streamPrefixes[2 * i + dir.rawValue], nil, value, family.unit, created: nil)
                }
            }
        }
    }

    private func writeBuild(_ build: BuildInfo, into w: inout ByteWriter) {
        header(&w, "bpagent_build", .info, nil, "The running build (always 1).")
        w.append("bpagent_build_info{version=\""); w.append(labelValue: build.version)
        w.append("\",revision=\""); w.append(labelValue: build.revision); w.append("\"} 1\n")
    }

    private func writeListening(into w: inout ByteWriter) {
        header(&w, "bpagent_listen", .info, nil, "An address the agent accepts traffic on (always 1): where to point a client.")
        for l in snapshot.listening {
            w.append("bpagent_listen_info{proto=\""); w.append(labelValue: l.proto)
            w.append("\",address=\""); w.append(labelValue: l.address)
            w.append("\",host=\""); w.append(labelValue: l.host)
            w.append("\",port=\""); w.append(labelValue: l.port); w.append("\"} 1\n")
        }
    }

    private func writeProcess(_ p: ProcessSnapshot, into w: inout ByteWriter) {
        header(&w, "process_cpu_seconds", .counter, .seconds, "Total user and system CPU time spent in seconds.")
        sample(&w, "process_cpu_seconds", .counter, nil, nil, p.cpuMicros, .seconds, created: p.startTimeMicros)
        header(&w, "process_open_fds", .gauge, nil, "Number of open file descriptors.")
        gauge(&w, "process_open_fds", nil, nil, p.openFDs, nil)
        header(&w, "process_max_fds", .gauge, nil, "Maximum number of open file descriptors.")
        gauge(&w, "process_max_fds", nil, nil, p.maxFDs, nil)
        header(&w, "process_virtual_memory_bytes", .gauge, .bytes, "Virtual memory size in bytes.")
        gauge(&w, "process_virtual_memory_bytes", nil, nil, p.virtualBytes, nil)
        header(&w, "process_resident_memory_bytes", .gauge, .bytes, "Resident memory size in bytes.")
        gauge(&w, "process_resident_memory_bytes", nil, nil, p.residentBytes, nil)
        header(&w, "process_start_time_seconds", .gauge, .seconds, "Start time of the process since unix epoch in seconds.")
        gauge(&w, "process_start_time_seconds", nil, nil, p.startTimeMicros, .seconds)
    }

    private func writeExporter(_ e: ExporterSnapshot, into w: inout ByteWriter) {
        let created = snapshot.agent.startTimeMicros
        scalar(&w, "bpagent_exporter_connections", .gauge, "Metrics connections open now.", e.connectionsOpen)
        header(&w, "bpagent_exporter_connections_closed", .counter, nil,
               "Metrics connections the server closed itself, by reason (evicted: every slot was taken; timeouts: see README).")
        for reason in ConnectionCloseReason.allCases {
            let prefix = Array("{reason=\"\(reason.label)\"".utf8)
            sample(&w, "bpagent_exporter_connections_closed", .counter, prefix, nil, e[closed: reason], nil, created: created)
        }
        scalar(&w, "bpagent_exporter_abandoned_requests", .counter,
               "Requests not rendered because the client had closed its connection first.", e.abandonedRequests)
        header(&w, "bpagent_exporter_responses", .counter, nil,
               "Responses rendered, by format (text, openmetrics, json) and content encoding (identity, gzip).")
        for format in ResponseFormat.allCases {
            for gzip in [false, true] {
                let prefix = Array("{format=\"\(format.label)\",encoding=\"\(gzip ? "gzip" : "identity")\"".utf8)
                sample(&w, "bpagent_exporter_responses", .counter, prefix, nil, e[format, gzip: gzip], nil, created: created)
            }
        }
        header(&w, "bpagent_exporter_render_seconds", .summary, .seconds,
               "Time spent rendering (and compressing) /metrics and /metrics.json responses.")
        w.append("bpagent_exporter_render_seconds_sum "); w.append(microsAsSeconds: e.renderMicros); w.append("\n")
        w.append("bpagent_exporter_render_seconds_count "); w.append(decimal: e.renders); w.append("\n")
        if dialect == .openMetrics {
            w.append("bpagent_exporter_render_seconds_created "); w.append(microsAsSeconds: created); w.append("\n")
        }
        header(&w, "bpagent_exporter_last_metrics_bytes", .gauge, .bytes,
               "Size of the last /metrics body before compression.")
        gauge(&w, "bpagent_exporter_last_metrics_bytes", nil, nil, e.lastMetricsBytes, nil)
    }

    // MARK: Lines

    /// `# HELP` and `# TYPE` (and in OpenMetrics `# UNIT`). Text 0.0.4 names a family by its
    /// sample name (`bpagent_bytes_total`); OpenMetrics by the family name (`bpagent_bytes`).
    private func header(_ w: inout ByteWriter, _ name: StaticString, _ type: FamilyType, _ unit: MetricUnit?, _ help: StaticString) {
        switch dialect {
        case .prometheus:
            w.append("# HELP "); w.append(name); if let s = type.sampleSuffix { w.append(s) }
            w.append(" "); w.append(help); w.append("\n")
            w.append("# TYPE "); w.append(name); if let s = type.sampleSuffix { w.append(s) }
            w.append(" "); w.append(type.prometheusName); w.append("\n")
        case .openMetrics:
            w.append("# TYPE "); w.append(name); w.append(" "); w.append(type.openMetricsName); w.append("\n")
            if let unit { w.append("# UNIT "); w.append(name); w.append(" "); w.append(unit.name); w.append("\n") }
            w.append("# HELP "); w.append(name); w.append(" "); w.append(help); w.append("\n")
        }
    }

    /// A family with one unlabelled sample.
    private func scalar(_ w: inout ByteWriter, _ name: StaticString, _ type: FamilyType, _ help: StaticString, _ value: UInt64) {
        header(&w, name, type, nil, help)
        sample(&w, name, type, nil, nil, value, nil, created: snapshot.agent.startTimeMicros)
    }

    /// One sample of a counter or gauge. A counter in OpenMetrics also gets its `_created` when
    /// given one: agent-wide counters do (the agent's start, so a restart shows), per-stream ones
    /// do not — a stream's series are new when first seen (fresh ids; a restart changes
    /// `bpagent_start_time_seconds`), and Prometheus 2.42 stores each `_created` sample as a
    /// series of its own: 20 more per TCP stream, a third on top of its 60.
    private func sample(
        _ w: inout ByteWriter, _ name: StaticString, _ type: FamilyType, _ prefix: [UInt8]?, _ extra: StaticString?,
        _ value: UInt64, _ unit: MetricUnit?, created: UInt64?
    ) {
        guard type == .counter else { return gauge(&w, name, prefix, extra, value, unit) }
        w.append(name); w.append("_total")
        labels(&w, prefix, extra)
        number(&w, value, unit)
        if dialect == .openMetrics, let created {
            w.append(name); w.append("_created")
            labels(&w, prefix, extra)
            w.append(microsAsSeconds: created); w.append("\n")
        }
    }

    private func gauge(_ w: inout ByteWriter, _ name: StaticString, _ prefix: [UInt8]?, _ extra: StaticString?,
                       _ value: UInt64, _ unit: MetricUnit?) {
        w.append(name)
        labels(&w, prefix, extra)
        number(&w, value, unit)
    }

    /// `bucket…`, `_sum`, `_count` (and `_created`) of one stall histogram.
    private func histogram(_ w: inout ByteWriter, _ name: StaticString, _ prefix: [UInt8], _ d: borrowing DirectionSnapshot,
                           created: UInt64?) {
        var cumulative: UInt64 = 0
        for (b, count) in d.stallBuckets.enumerated() {
            cumulative += count
            w.append(name); w.append("_bucket")
            w.append(contentsOf: prefix)
            w.append(contentsOf: Self.bucketLabels[b])
            w.append(decimal: cumulative); w.append("\n")
        }
        w.append(name); w.append("_sum"); w.append(contentsOf: prefix)
        w.append("} "); w.append(microsAsSeconds: d.stallSumMicros); w.append("\n")
        w.append(name); w.append("_count"); w.append(contentsOf: prefix)
        w.append("} "); w.append(decimal: cumulative); w.append("\n")
        if dialect == .openMetrics, let created {
            w.append(name); w.append("_created"); w.append(contentsOf: prefix)
            w.append("} "); w.append(microsAsSeconds: created); w.append("\n")
        }
    }

    /// `{prefix,extra} `, `{extra} ` or ` ` (extra labels start with a comma).
    private func labels(_ w: inout ByteWriter, _ prefix: [UInt8]?, _ extra: StaticString?) {
        if let prefix {
            w.append(contentsOf: prefix)
            if let extra { w.append(extra) }
            w.append("} ")
        } else if let extra {
            w.append("{"); w.append(extra, droppingFirst: 1); w.append("} ")
        } else {
            w.append(" ")
        }
    }

    private func number(_ w: inout ByteWriter, _ value: UInt64, _ unit: MetricUnit?) {
        if unit == .seconds { w.append(microsAsSeconds: value) } else { w.append(decimal: value) }
        w.append("\n")
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
}
