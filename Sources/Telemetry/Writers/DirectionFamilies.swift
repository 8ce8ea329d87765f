/// A family with samples for every direction: once per stream (`bpagent_…{stream,dir}`) and
/// once for the agent totals (`bpagent_agent_…{dir}`), from the same `DirectionSnapshot`.
struct DirectionFamily: Sendable {
    /// Family names without `_total`: `bpagent_bytes`, `bpagent_agent_bytes`.
    let name: StaticString
    let agentName: StaticString
    let type: FamilyType
    let unit: MetricUnit?
    let help: StaticString
    /// Only frames can be dropped, received or malformed: a byte stream never exports these.
    let framesOnly: Bool
    /// Whether an observed TCP socket (`bpagent observe`) has it too; only bytes: every other
    /// relay counter needs the data path.
    var observedToo = false
    /// Each sample of one direction, in export order.
    let samples: [DirectionSample]
}

/// One sample of a `DirectionFamily`: the labels it adds after `dir` and the counter it shows.
///
/// The counter is a key path, not a closure: the per-stream lines (`StreamLineTexts`) read it
/// at its byte offset in the snapshot, with no call, copy or reference count per line.
struct DirectionSample: Sendable {
    /// `,errno="EAGAIN"`, or nil for a family with one sample.
    let labels: StaticString?
    let value: KeyPath<DirectionSnapshot, UInt64> & Sendable

    init(_ labels: StaticString, _ value: KeyPath<DirectionSnapshot, UInt64> & Sendable) {
        self.labels = labels
        self.value = value
    }

    /// The one sample of a family without labels of its own.
    init(_ value: KeyPath<DirectionSnapshot, UInt64> & Sendable) {
        labels = nil
        self.value = value
    }
}

extension DirectionFamily {
    /// Every per-direction family but the stall histogram, in export order. Adding a counter
    /// to `DirectionSnapshot` means a line here (and in `accumulate`), and both the stream and
    /// the agent family follow.
    static let all: [DirectionFamily] = [
        DirectionFamily(name: "bpagent_bytes", agentName: "bpagent_agent_bytes", type: .counter, unit: .bytes,
                        help: "Bytes delivered to the destination.", framesOnly: false, observedToo: true,
                        samples: [.init(\.bytes)]),
        DirectionFamily(name: "bpagent_writes", agentName: "bpagent_agent_writes", type: .counter, unit: nil,
                        help: "Successful writes (frames, for datagram modes).", framesOnly: false,
                        samples: [.init(\.writes)]),
        DirectionFamily(name: "bpagent_buffer_full", agentName: "bpagent_agent_buffer_full", type: .counter, unit: nil,
                        help: "Writes that failed with a full buffer (one per blocked write, however many retries follow).",
                        framesOnly: false,
                        samples: [
                            .init(",errno=\"EAGAIN\"", \.bufferFull.eagain),
                            .init(",errno=\"ENOBUFS\"", \.bufferFull.enobufs),
                        ]),
        DirectionFamily(name: "bpagent_retries", agentName: "bpagent_agent_retries", type: .counter, unit: nil,
                        help: "Write attempts repeated after a buffer-full failure, by the errno of that failure.",
                        framesOnly: false,
                        samples: [.init(",errno=\"EAGAIN\"", \.retries.eagain), .init(",errno=\"ENOBUFS\"", \.retries.enobufs)]),
        DirectionFamily(name: "bpagent_drops", agentName: "bpagent_agent_drops", type: .counter, unit: nil,
                        help: "Frames given up by the retry policy or after a failed send.", framesOnly: true,
                        samples: [
                            .init(",reason=\"policy\"", \.drops.policy),
                            .init(",reason=\"retry_budget\"", \.drops.retryBudget),
                            .init(",reason=\"send_error\"", \.drops.sendError),
                            .init(",reason=\"too_large\"", \.drops.tooLarge),
                            .init(",reason=\"no_stream\"", \.drops.noStream),
                        ]),
        DirectionFamily(name: "bpagent_dropped_bytes", agentName: "bpagent_agent_dropped_bytes", type: .counter, unit: .bytes,
                        help: "Bytes of the frames given up.", framesOnly: true,
                        samples: [
                            .init(",reason=\"policy\"", \.dropBytes.policy),
                            .init(",reason=\"retry_budget\"", \.dropBytes.retryBudget),
                            .init(",reason=\"send_error\"", \.dropBytes.sendError),
                            .init(",reason=\"too_large\"", \.dropBytes.tooLarge),
                            .init(",reason=\"no_stream\"", \.dropBytes.noStream),
                        ]),
        DirectionFamily(name: "bpagent_stall_max_seconds", agentName: "bpagent_agent_stall_max_seconds", type: .gauge,
                        unit: .seconds, help: "Longest single stall so far.", framesOnly: false,
                        samples: [.init(\.stallMaxMicros)]),
        DirectionFamily(name: "bpagent_retries_per_event_max", agentName: "bpagent_agent_retries_per_event_max", type: .gauge,
                        unit: nil, help: "Most retries a single buffer-full event needed.", framesOnly: false,
                        samples: [.init(\.retriesPerEventMax)]),
        DirectionFamily(name: "bpagent_queued_bytes", agentName: "bpagent_agent_queued_bytes", type: .gauge, unit: .bytes,
                        help: "Bytes waiting inside the agent right now.", framesOnly: false,
                        samples: [.init(\.queuedBytes)]),
        DirectionFamily(name: "bpagent_frames_received", agentName: "bpagent_agent_frames_received", type: .counter, unit: nil,
                        help: "Frames taken from the source (frames received = writes + drops).", framesOnly: true,
                        samples: [.init(\.framesReceived)]),
        DirectionFamily(name: "bpagent_received_bytes", agentName: "bpagent_agent_received_bytes", type: .counter, unit: .bytes,
                        help: "Bytes of the frames taken from the source.", framesOnly: true,
                        samples: [.init(\.bytesReceived)]),
        DirectionFamily(name: "bpagent_frames_malformed", agentName: "bpagent_agent_frames_malformed", type: .counter, unit: nil,
                        help: "Frames forwarded unchanged whose headers could not all be parsed, by defect.",
                        framesOnly: true,
                        samples: [
                            .init(",defect=\"truncated\"", \.defects.truncated),
                            .init(",defect=\"malformed\"", \.defects.malformed),
                        ]),
        DirectionFamily(name: "bpagent_retry_seconds", agentName: "bpagent_agent_retry_seconds", type: .counter, unit: .seconds,
                        help: "Time buffer-full events held the writer: spinning, sleeping between retries, or in retries from the event loop.",
                        framesOnly: false,
                        samples: [
                            .init(",how=\"spin\"", \.retryMicros.spin),
                            .init(",how=\"sleep\"", \.retryMicros.sleep),
                            .init(",how=\"wait\"", \.retryMicros.wait),
                        ]),
        DirectionFamily(name: "bpagent_kernel_drops", agentName: "bpagent_agent_kernel_drops", type: .counter, unit: nil,
                        help: "Datagrams the kernel dropped because the agent's socket receive queue was full (UDP relay).",
                        framesOnly: true,
                        samples: [.init(\.kernelDrops)]),
        DirectionFamily(name: "bpagent_wait_recoveries", agentName: "bpagent_agent_wait_recoveries", type: .counter, unit: nil,
                        help: "Buffer-full events under wait that ended in a write, by what made the retry: the writable event or the retry timer.",
                        framesOnly: false,
                        samples: [
                            .init(",how=\"event\"", \.waitRecoveries.event),
                            .init(",how=\"timer\"", \.waitRecoveries.timer),
                        ]),
    ]
}
