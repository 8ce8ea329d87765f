/// How a frame relay (`bpagent unixgram`, `bpagent tap`) treats its frames.
public struct DatagramConfiguration: Sendable {
    public var policy: RetryPolicy
    public var injection: FaultInjection?
    /// `wait`: a blocked frame is tried again after this long even without a writable event.
    /// Linux reports room in a connected peer's queue with POLLOUT; macOS says "writable" while
    /// sends fail with ENOBUFS, and a listening socket's POLLOUT says nothing about its peer,
    /// so the timer is what ends those waits (libkrun retries on a timer the same way).
    public var retryDelayMicros: UInt64
    /// Slept before each read from the second port (`--read-delay`): a deliberately slow receiver.
    public var readDelayMicros: UInt32
    /// Flows tracked at once; more are counted under one overflow stream.
    public var maxFlows: Int
    /// A flow without frames for this long is forgotten and its stream closed.
    public var flowIdleMicros: UInt64
    public var closedRetentionMicros: UInt64
    public var maxClosedStreams: Int
    /// `--inject no-writable`: the poller withholds a blocked destination's writable event.
    public var writableFault: WritableFault?
    /// epoll or poll(2).
    public var poller: PollerKind
    /// Frames read per recvmmsg from a unix datagram socket (or by reads from a TAP before
    /// they are handed on), and so at most sent per sendmmsg to a unix datagram socket
    /// (`--receive-batch`); 1 moves one per recvmsg/send. Stream ports move one frame at a time.
    public var receiveBatch: Int

    /// The default `receiveBatch`, as `Scripts/bench-datagram` measured it.
    public static let defaultReceiveBatch = 32

    public init(policy: RetryPolicy = .wait, injection: FaultInjection? = nil, retryDelayMicros: UInt64 = 1000,
                readDelayMicros: UInt32 = 0, maxFlows: Int = 4096, flowIdleMicros: UInt64 = 60_000_000,
                closedRetentionMicros: UInt64 = 300_000_000, maxClosedStreams: Int = 10_000,
                writableFault: WritableFault? = nil, poller: PollerKind = .platformDefault,
                receiveBatch: Int = DatagramConfiguration.defaultReceiveBatch) {
        self.policy = policy
        self.injection = injection
        self.retryDelayMicros = retryDelayMicros
        self.readDelayMicros = readDelayMicros
        self.maxFlows = maxFlows
        self.flowIdleMicros = flowIdleMicros
        self.closedRetentionMicros = closedRetentionMicros
        self.maxClosedStreams = maxClosedStreams
        self.writableFault = writableFault
        self.poller = poller
        self.receiveBatch = receiveBatch
    }
}
