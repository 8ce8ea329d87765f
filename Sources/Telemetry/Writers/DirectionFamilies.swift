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
    /// Calls `sample(extra labels, value)` for each sample of one direction.
    let samples: @Sendable (borrowing DirectionSnapshot, (StaticString?, UInt64) -> Void) -> Void
}

extension DirectionFamily {
    /// Every per-direction family but the stall histogram, in export order. Adding a counter
    /// to `DirectionSnapshot` means a line here (and in `accumulate`), and both the stream and
    /// the agent family follow.
    static let all: [DirectionFamily] = [
        DirectionFamily(name: "bpagent_bytes", agentName: "bpagent_agent_bytes", type: .counter, unit: .bytes,
                        help: "Bytes delivered to the destination.", framesOnly: false, observedToo: true) { d, sample in
            sample(nil, d.bytes)
        },
        DirectionFamily(name: "bpagent_writes", agentName: "bpagent_agent_writes", type: .counter, unit: nil,
                        help: "Successful writes (frames, for datagram modes).", framesOnly: false) { d, sample in
            sample(nil, d.writes)
        },
        DirectionFamily(name: "bpagent_buffer_full", agentName: "bpagent_agent_buffer_full", type: .counter, unit: nil,
                        help: "Writes that failed with a full buffer (one per blocked write, however many retries follow).",
                        framesOnly: false) { d, sample in
            sample(",errno=\"EAGAIN\"", d.bufferFull.eagain)
            sample(",errno=\"ENOBUFS\"", d.bufferFull.enobufs)
        },
        DirectionFamily(name: "bpagent_retries", agentName: "bpagent_agent_retries", type: .counter, unit: nil,
                        help: "Write attempts repeated after a buffer-full failure, by the errno of that failure.",
                        framesOnly: false) { d, sample in
            sample(",errno=\"EAGAIN\"", d.retries.eagain)
            sample(",errno=\"ENOBUFS\"", d.retries.enobufs)
        },
        DirectionFamily(name: "bpagent_drops", agentName: "bpagent_agent_drops", type: .counter, unit: nil,
                        help: "Frames given up by the retry policy or after a failed send.", framesOnly: true) { d, sample in
            sample(",reason=\"policy\"", d.drops.policy)
            sample(",reason=\"retry_budget\"", d.drops.retryBudget)
            sample(",reason=\"send_error\"", d.drops.sendError)
            sample(",reason=\"too_large\"", d.drops.tooLarge)
            sample(",reason=\"no_stream\"", d.drops.noStream)
        },
        DirectionFamily(name: "bpagent_dropped_bytes", agentName: "bpagent_agent_dropped_bytes", type: .counter, unit: .bytes,
                        help: "Bytes of the frames given up.", framesOnly: true) { d, sample in
            sample(",reason=\"policy\"", d.dropBytes.policy)
            sample(",reason=\"retry_budget\"", d.dropBytes.retryBudget)
            sample(",reason=\"send_error\"", d.dropBytes.sendError)
            sample(",reason=\"too_large\"", d.dropBytes.tooLarge)
            sample(",reason=\"no_stream\"", d.dropBytes.noStream)
        },
        DirectionFamily(name: "bpagent_stall_max_seconds", agentName: "bpagent_agent_stall_max_seconds", type: .gauge,
                        unit: .seconds, help: "Longest single stall so far.", framesOnly: false) { d, sample in
            sample(nil, d.stallMaxMicros)
        },
        DirectionFamily(name: "bpagent_retries_per_event_max", agentName: "bpagent_agent_retries_per_event_max", type: .gauge,
                        unit: nil, help: "Most retries a single buffer-full event needed.", framesOnly: false) { d, sample in
            sample(nil, d.retriesPerEventMax)
        },
        DirectionFamily(name: "bpagent_queued_bytes", agentName: "bpagent_agent_queued_bytes", type: .gauge, unit: .bytes,
                        help: "Bytes waiting inside the agent right now.", framesOnly: false) { d, sample in
            sample(nil, d.queuedBytes)
        },
        DirectionFamily(name: "bpagent_frames_received", agentName: "bpagent_agent_frames_received", type: .counter, unit: nil,
                        help: "Frames taken from the source (frames received = writes + drops).", framesOnly: true) { d, sample in
            sample(nil, d.framesReceived)
        },
        DirectionFamily(name: "bpagent_received_bytes", agentName: "bpagent_agent_received_bytes", type: .counter, unit: .bytes,
                        help: "Bytes of the frames taken from the source.", framesOnly: true) { d, sample in
            sample(nil, d.bytesReceived)
        },
        DirectionFamily(name: "bpagent_frames_malformed", agentName: "bpagent_agent_frames_malformed", type: .counter, unit: nil,
                        help: "Frames forwarded unchanged whose headers could not all be parsed, by defect.",
                        framesOnly: true) { d, sample in
            sample(",defect=\"truncated\"", d.defects.truncated)
            sample(",defect=\"malformed\"", d.defects.malformed)
        },
        DirectionFamily(name: "bpagent_retry_seconds", agentName: "bpagent_agent_retry_seconds", type: .counter, unit: .seconds,
                        help: "Time buffer-full events held the writer: spinning, sleeping between retries, or in retries from the event loop.",
                        framesOnly: false) { d, sample in
            sample(",how=\"spin\"", d.retryMicros.spin)
            sample(",how=\"sleep\"", d.retryMicros.sleep)
            sample(",how=\"wait\"", d.retryMicros.wait)
        },
        DirectionFamily(name: "bpagent_kernel_drops", agentName: "bpagent_agent_kernel_drops", type: .counter, unit: nil,
                        help: "Datagrams the kernel dropped because the agent's socket receive queue was full (UDP relay).",
                        framesOnly: true) { d, sample in
            sample(nil, d.kernelDrops)
        },
        DirectionFamily(name: "bpagent_wait_recoveries", agentName: "bpagent_agent_wait_recoveries", type: .counter, unit: nil,
                        help: "Buffer-full events under wait that ended in a write, by what made the retry: the writable event or the retry timer.",
                        framesOnly: false) { d, sample in
            sample(",how=\"event\"", d.waitRecoveries.event)
            sample(",how=\"timer\"", d.waitRecoveries.timer)
        },
    ]
}
