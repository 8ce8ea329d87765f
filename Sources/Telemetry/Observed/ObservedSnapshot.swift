/// The process holding an observed socket (`bpagent observe`): the `pid`, `comm` and `inode`
/// labels of its `bpagent_stream_info`.
public struct SocketOwner: Equatable, Sendable {
    /// nil when no process could be found holding the socket (it may have been passed on or closed).
    public var pid: Int32?
    public var comm: String
    public var inode: UInt64

    public init(pid: Int32?, comm: String, inode: UInt64) {
        self.pid = pid
        self.comm = comm
        self.inode = inode
    }
}

/// What the kernel showed of one observed socket at the last poll. A socket sends in one
/// direction and receives in the other: `sendDirection` is `c2s` for the side that connected
/// (the client) and `s2c` for the side that accepted or was bound.
public struct ObservedSnapshot: Equatable, Sendable {
    public var sendDirection: Direction
    /// Bytes queued for sending and the send buffer (TCP: `wmem_queued` of `sndbuf`; unix:
    /// `wmem_alloc`, which for datagrams holds every one not yet read by its receiver).
    public var sendQueueBytes: UInt64
    public var sendLimitBytes: UInt64
    /// Bytes waiting to be read and the receive buffer (TCP: `rmem_alloc` of `rcvbuf`; unix
    /// streams: unread bytes; unix datagrams: what its observed senders hold for it).
    public var receiveQueueBytes: UInt64
    public var receiveLimitBytes: UInt64
    /// `SK_MEMINFO_DROPS`: packets the kernel dropped at this socket.
    public var drops: UInt64
    public var tcp: ObservedTCP?
    /// Unix datagram receivers only.
    public var datagrams: ObservedDatagramQueue?

    public init(sendDirection: Direction, sendQueueBytes: UInt64 = 0, sendLimitBytes: UInt64 = 0,
                receiveQueueBytes: UInt64 = 0, receiveLimitBytes: UInt64 = 0, drops: UInt64 = 0,
                tcp: ObservedTCP? = nil, datagrams: ObservedDatagramQueue? = nil) {
        self.sendDirection = sendDirection
        self.sendQueueBytes = sendQueueBytes
        self.sendLimitBytes = sendLimitBytes
        self.receiveQueueBytes = receiveQueueBytes
        self.receiveLimitBytes = receiveLimitBytes
        self.drops = drops
        self.tcp = tcp
        self.datagrams = datagrams
    }

    public var receiveDirection: Direction { sendDirection == .c2s ? .s2c : .c2s }
}

/// The kernel's own measurements of a TCP sender (`struct tcp_info`).
public struct ObservedTCP: Equatable, Sendable {
    /// `tcpi_sndbuf_limited`, `tcpi_rwnd_limited`, `tcpi_busy_time`: microseconds the socket
    /// was limited by its send buffer, by the receiver's window, and busy sending at all.
    public var sndbufLimitedMicros: UInt64
    public var rwndLimitedMicros: UInt64
    public var busyMicros: UInt64
    public var notsentBytes: UInt64
    /// `tcpi_total_retrans`: segments retransmitted over the connection's life.
    public var retransmits: UInt64
    public var rttMicros: UInt64
    /// Congestion window, in segments.
    public var cwnd: UInt64
    public var deliveryRateBytesPerSecond: UInt64

    public init(sndbufLimitedMicros: UInt64 = 0, rwndLimitedMicros: UInt64 = 0, busyMicros: UInt64 = 0,
                notsentBytes: UInt64 = 0, retransmits: UInt64 = 0, rttMicros: UInt64 = 0, cwnd: UInt64 = 0,
                deliveryRateBytesPerSecond: UInt64 = 0) {
        self.sndbufLimitedMicros = sndbufLimitedMicros
        self.rwndLimitedMicros = rwndLimitedMicros
        self.busyMicros = busyMicros
        self.notsentBytes = notsentBytes
        self.retransmits = retransmits
        self.rttMicros = rttMicros
        self.cwnd = cwnd
        self.deliveryRateBytesPerSecond = deliveryRateBytesPerSecond
    }
}

/// A unix datagram receiver's queue in datagrams. The kernel refuses a send (EAGAIN) once
/// the queue holds more than `limit` (`net.unix.max_dgram_qlen`, read when the socket was made).
public struct ObservedDatagramQueue: Equatable, Sendable {
    public var datagrams: UInt64
    public var limit: UInt64
    /// Time the queue was seen full (more than `limit`), summed over polls.
    public var fullMicros: UInt64

    public init(datagrams: UInt64, limit: UInt64, fullMicros: UInt64) {
        self.datagrams = datagrams
        self.limit = limit
        self.fullMicros = fullMicros
    }
}

/// The observer's own state: its targets and what its polls cost.
public struct ObserverSnapshot: Equatable, Sendable {
    /// `--pid` targets, and whether each still runs.
    public var processes: [(pid: Int32, running: Bool)]
    public var polls: UInt64
    public var pollMicros: UInt64

    public init(processes: [(pid: Int32, running: Bool)], polls: UInt64, pollMicros: UInt64) {
        self.processes = processes
        self.polls = polls
        self.pollMicros = pollMicros
    }

    public static func == (a: ObserverSnapshot, b: ObserverSnapshot) -> Bool {
        a.polls == b.polls && a.pollMicros == b.pollMicros
            && a.processes.map(\.pid) == b.processes.map(\.pid) && a.processes.map(\.running) == b.processes.map(\.running)
    }
}
