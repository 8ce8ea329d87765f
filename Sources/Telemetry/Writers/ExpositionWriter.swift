/// Writes one snapshot in one dialect: the engine behind `PrometheusTextWriter` and
/// `OpenMetricsWriter`, so both list the same series in the same order.
///
/// The order: build and process figures, agent-wide counts and totals, the exporter's own
/// figures, then the per-stream families (the bulk), each with every stream in id order.
struct ExpositionWriter {
    let dialect: ExpositionDialect
    let snapshot: MetricsSnapshot
    /// Every stream-direction's `{stream="N",dir="c2s"`, built once per render.
    private let streamPrefixes: StreamPrefixes
    /// Each stream's kind, which says which per-stream families it has.
    private let kinds: [StreamKinds]
    private let texts = StreamLineTexts.shared
    /// `{dir="c2s"` and `{dir="s2c"`, for the agent totals.
    private static let directionPrefixes: [[UInt8]] = Direction.allCases.map { Array("{dir=\"\($0.label)\"".utf8) }

    init(dialect: ExpositionDialect, snapshot: MetricsSnapshot) {
        self.dialect = dialect
        self.snapshot = snapshot
        streamPrefixes = StreamPrefixes(snapshot.streams)
        kinds = snapshot.streams.withUnsafeBufferPointer { streams in streams.indices.map { StreamKinds(of: streams[$0]) } }
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
        var values = StreamValues(snapshot.streams, kinds: kinds, families: texts.families)
        for (f, family) in DirectionFamily.all.enumerated() {
            header(&w, family.name, family.type, family.unit, family.help)
            values.consumeFamily(f) { values in writeStreams(texts.families[f], values, into: &w) }
        }
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
                let totals = snapshot.agent[totals: dir]
                for s in family.samples {
                    sample(&w, family.agentName, family.type, prefix, s.labels, totals[keyPath: s.value], family.unit, created: created)
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
        let info = texts.info
        let infoRoom = info.reduce(20) { $0 + $1.count }
        snapshot.streams.withUnsafeBufferPointer { streams in
            for i in streams.indices {
                // Through the pointer: a copy of the identity would count references to its strings.
                let id = (streams.baseAddress! + i).pointer(to: \.identity)!
                if id.pointee.owner != nil {
                    writeObservedInfo(id.pointee, into: &w)
                    continue
                }
                let values = id.pointee.proto.utf8.count + id.pointee.local.utf8.count + id.pointee.peer.utf8.count
                    + id.pointee.upstreamLocal.utf8.count + id.pointee.upstreamPeer.utf8.count + id.pointee.flow.utf8.count
                w.withCursor(room: 2 * values + infoRoom) { c in
                    c.append(info[0]); c.append(decimal: id.pointee.id)
                    c.append(info[1]); c.append(labelValue: id.pointee.proto)
                    c.append(info[2]); c.append(labelValue: id.pointee.local)
                    c.append(info[3]); c.append(labelValue: id.pointee.peer)
                    c.append(info[4]); c.append(labelValue: id.pointee.upstreamLocal)
                    c.append(info[5]); c.append(labelValue: id.pointee.upstreamPeer)
                    if id.pointee.carriesFrames { c.append(info[6]); c.append(labelValue: id.pointee.flow) }
                    c.append(info[7])
                }
            }
        }
        header(&w, "bpagent_stream_state", .gauge, nil,
               "Stream state: 0 connecting, 1 open, 2 half-closed, 3 closed, 4 reset, 5 failed.")
        let state = texts.state
        snapshot.streams.withUnsafeBufferPointer { streams in
            for s in streams.indices.lazy.map({ streams.baseAddress! + $0 }) {
                w.withCursor(room: state[0].count + state[1].count + 2 * StreamLineTexts.numberRoom) { c in
                    c.append(state[0]); c.append(decimal: s.pointee.identity.id)
                    c.append(state[1]); c.append(decimal: s.pointee.state.code); c.append(byte: UInt8(ascii: "\n"))
                }
            }
        }
    }

    /// The info line of a socket `bpagent observe` watches: its owner instead of the relay's
    /// upstream side.
    private func writeObservedInfo(_ id: StreamIdentity, into w: inout ByteWriter) {
        guard let owner = id.owner else { return }
        w.append("bpagent_stream_info{stream=\""); w.append(decimal: id.id)
        w.append("\",proto=\""); w.append(labelValue: id.proto)
        w.append("\",local=\""); w.append(labelValue: id.local)
        w.append("\",peer=\""); w.append(labelValue: id.peer)
        w.append("\",pid=\""); if let pid = owner.pid { w.append(decimal: UInt64(pid)) }
        w.append("\",comm=\""); w.append(labelValue: owner.comm)
        w.append("\",inode=\""); w.append(decimal: owner.inode)
        if id.carriesFrames { w.append("\",flow=\""); w.append(labelValue: id.flow) }
        w.append("\"} 1\n")
    }

    /// One line per sample of a family for every stream-direction that has it, written in place
    /// (`LineCursor`): with the stall histogram these are nearly all of a large export.
    ///
    /// The loop reads the values `StreamValues` gathered in order and touches only locals: no
    /// copy of a stream or direction (each holds references, so a copy costs atomic reference
    /// counting), no closure call, no access to a stored property per line.
    private func writeStreams(_ lines: StreamLineTexts.Family, _ values: UnsafeBufferPointer<UInt64>, into w: inout ByteWriter) {
        let room = lines.room + lines.samples.count * streamPrefixes.longest
        let (name, seconds, wanted) = (lines.name, lines.seconds, lines.kinds)
        var next = values.baseAddress
        kinds.withUnsafeBufferPointer { kinds in
            lines.samples.withUnsafeBufferPointer { samples in
                for i in kinds.indices where !kinds[i].isDisjoint(with: wanted) {
                    for dir in Direction.allCases {
                        let prefix = streamPrefixes[stream: i, dir: dir]
                        w.withCursor(room: room) { c in
                            for sample in samples {
                                c.append(name); c.append(prefix); c.append(sample.labelsEnd)
                                if seconds { c.append(microsAsSeconds: next!.pointee) } else { c.append(decimal: next!.pointee) }
                                c.append(byte: UInt8(ascii: "\n"))
                                next! += 1
                            }
                        }
                    }
                }
            }
        }
    }

    /// `bpagent_stall_seconds_bucket…`, `_sum`, `_count` of every relayed stream-direction, from
    /// the cumulative counts `StallHistogramValues` gathers a run of streams at a time.
    private func writeStreamStalls(into w: inout ByteWriter) {
        header(&w, "bpagent_stall_seconds", .histogram, .seconds,
               "Per buffer-full event: time from the first failed attempt to the write that ended it.")
        let room = texts.histogramRoom + (StallBuckets.count + 2) * streamPrefixes.longest
        let (bucket, sum, count, labelsEnd) = (texts.bucket, texts.sum, texts.count, texts.labelsEnd)
        let relayed = kinds.indices.filter { kinds[$0].contains(.relayed) }
        let histograms = StallHistogramValues()
        texts.bucketLabelEnds.withUnsafeBufferPointer { labelEnds in
            snapshot.streams.withUnsafeBufferPointer { streams in
                for start in stride(from: 0, to: relayed.count, by: StallHistogramValues.streamsPerRun) {
                    let run = relayed[start..<min(start + StallHistogramValues.streamsPerRun, relayed.count)]
                    var values = histograms.gather(streams, run).baseAddress
                    for i in run {
                        for dir in Direction.allCases {
                            let prefix = streamPrefixes[stream: i, dir: dir]
                            let histogram = values!
                            w.withCursor(room: room) { c in
                                for (b, labelEnd) in labelEnds.enumerated() {
                                    c.append(bucket); c.append(prefix); c.append(labelEnd)
                                    c.append(decimal: histogram[b]); c.append(byte: UInt8(ascii: "\n"))
                                }
                                c.append(sum); c.append(prefix); c.append(labelsEnd)
                                c.append(microsAsSeconds: histogram[StallBuckets.count]); c.append(byte: UInt8(ascii: "\n"))
                                c.append(count); c.append(prefix); c.append(labelsEnd)
                                c.append(decimal: histogram[StallBuckets.count - 1]); c.append(byte: UInt8(ascii: "\n"))
                            }
                            values! += StallHistogramValues.length
                        }
                    }
                }
            }
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
                let id = snapshot.streams[i].identity.id
                family.samples(observed) { dir, value in
                    // Few sockets are observed: their prefixes are built here, not kept per render.
                    let prefix = Array("{stream=\"\(id)\",dir=\"\(dir.label)\"".utf8)
                    sample(&w, family.name, family.type, prefix, nil, value, family.unit, created: nil)
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

    /// `bucket…`, `_sum`, `_count` (and `_created`) of one agent-wide stall histogram.
    private func histogram(_ w: inout ByteWriter, _ name: StaticString, _ prefix: [UInt8], _ d: borrowing DirectionSnapshot,
                           created: UInt64?) {
        var cumulative: UInt64 = 0
        for (b, count) in d.stallBuckets.enumerated() {
            cumulative += count
            w.append(name); w.append("_bucket")
            w.append(contentsOf: prefix)
            w.append(texts.bucketLabelEnds[b])
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
}
