/// A family of `bpagent observe`'s kernel figures, with samples `{stream, dir}` for the
/// observed streams that have the figure. Written only by an observing agent.
struct ObservedFamily: Sendable {
    /// Family name without `_total`.
    let name: StaticString
    let type: FamilyType
    let unit: MetricUnit?
    let help: StaticString
    /// Calls `sample(direction, value)` for each sample of one socket (none when it lacks the figure).
    let samples: @Sendable (borrowing ObservedSnapshot, (Direction, UInt64) -> Void) -> Void
}

extension ObservedFamily {
    /// In export order; README's Observe section lists the same.
    static let all: [ObservedFamily] = [
        ObservedFamily(name: "bpagent_observed_sndbuf_limited_seconds", type: .counter, unit: .seconds,
                       help: "TCP: time the sender was limited by its send buffer (tcpi_sndbuf_limited).") { o, sample in
            if let t = o.tcp { sample(o.sendDirection, t.sndbufLimitedMicros) }
        },
        ObservedFamily(name: "bpagent_observed_rwnd_limited_seconds", type: .counter, unit: .seconds,
                       help: "TCP: time the sender was limited by the receiver's window (tcpi_rwnd_limited).") { o, sample in
            if let t = o.tcp { sample(o.sendDirection, t.rwndLimitedMicros) }
        },
        ObservedFamily(name: "bpagent_observed_busy_seconds", type: .counter, unit: .seconds,
                       help: "TCP: time the sender had data in flight or queued (tcpi_busy_time).") { o, sample in
            if let t = o.tcp { sample(o.sendDirection, t.busyMicros) }
        },
        ObservedFamily(name: "bpagent_observed_notsent_bytes", type: .gauge, unit: .bytes,
                       help: "TCP: bytes written by the application and not yet sent (tcpi_notsent_bytes).") { o, sample in
            if let t = o.tcp { sample(o.sendDirection, t.notsentBytes) }
        },
        ObservedFamily(name: "bpagent_observed_retransmits", type: .counter, unit: nil,
                       help: "TCP: segments retransmitted (tcpi_total_retrans).") { o, sample in
            if let t = o.tcp { sample(o.sendDirection, t.retransmits) }
        },
        ObservedFamily(name: "bpagent_observed_rtt_seconds", type: .gauge, unit: .seconds,
                       help: "TCP: smoothed round-trip time (tcpi_rtt).") { o, sample in
            if let t = o.tcp { sample(o.sendDirection, t.rttMicros) }
        },
        ObservedFamily(name: "bpagent_observed_cwnd_segments", type: .gauge, unit: nil,
                       help: "TCP: congestion window in segments (tcpi_snd_cwnd).") { o, sample in
            if let t = o.tcp { sample(o.sendDirection, t.cwnd) }
        },
        ObservedFamily(name: "bpagent_observed_delivery_rate_bytes_per_second", type: .gauge, unit: nil,
                       help: "TCP: the kernel's latest delivery rate estimate (tcpi_delivery_rate).") { o, sample in
            if let t = o.tcp { sample(o.sendDirection, t.deliveryRateBytesPerSecond) }
        },
        ObservedFamily(name: "bpagent_observed_queue_bytes", type: .gauge, unit: .bytes,
                       help: "Bytes queued in the socket: its send queue (dir it sends) and receive queue (dir it receives).") { o, sample in
            sample(o.sendDirection, o.sendQueueBytes)
            sample(o.receiveDirection, o.receiveQueueBytes)
        },
        ObservedFamily(name: "bpagent_observed_queue_limit_bytes", type: .gauge, unit: .bytes,
                       help: "The socket's send buffer (dir it sends) and receive buffer (dir it receives).") { o, sample in
            sample(o.sendDirection, o.sendLimitBytes)
            sample(o.receiveDirection, o.receiveLimitBytes)
        },
        ObservedFamily(name: "bpagent_observed_drops", type: .counter, unit: nil,
                       help: "Packets the kernel dropped at the socket (SK_MEMINFO_DROPS).") { o, sample in
            sample(o.receiveDirection, o.drops)
        },
        ObservedFamily(name: "bpagent_observed_queue_datagrams", type: .gauge, unit: nil,
                       help: "Unix datagram receivers: datagrams waiting to be read.") { o, sample in
            if let d = o.datagrams { sample(o.receiveDirection, d.datagrams) }
        },
        ObservedFamily(name: "bpagent_observed_queue_limit_datagrams", type: .gauge, unit: nil,
                       help: "Unix datagram receivers: net.unix.max_dgram_qlen; a send fails with EAGAIN once more are queued.") { o, sample in
            if let d = o.datagrams { sample(o.receiveDirection, d.limit) }
        },
        ObservedFamily(name: "bpagent_observed_queue_full_seconds", type: .counter, unit: .seconds,
                       help: "Unix datagram receivers: time the queue was seen beyond its limit, summed over polls.") { o, sample in
            if let d = o.datagrams { sample(o.receiveDirection, d.fullMicros) }
        },
    ]
}
