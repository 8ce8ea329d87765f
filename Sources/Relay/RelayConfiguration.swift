/// Everything `bpagent relay` is told on its command line.
public struct RelayConfiguration: Sendable {
    public var listen: SocketAddress
    public var connect: SocketAddress
    public var policy: RetryPolicy
    public var injection: FaultInjection?
    /// Bytes buffered per direction; reading stops when it is full or a write is blocked.
    public var bufferSize: Int
    /// How bytes move from source to destination.
    public var copy: CopyMode
    /// How long a finished stream stays in the export.
    public var closedRetentionMicros: UInt64
    /// At most this many finished streams are kept, the oldest forgotten first.
    public var maxClosedStreams: Int
    /// `--inject no-writable`: the poller withholds a blocked destination's writable event.
    public var writableFault: WritableFault?
    /// epoll or poll(2).
    public var poller: PollerKind

    public init(listen: SocketAddress, connect: SocketAddress, policy: RetryPolicy = .wait,
                injection: FaultInjection? = nil, bufferSize: Int = 256 * 1024, copy: CopyMode = .platformDefault,
                closedRetentionMicros: UInt64 = 300_000_000, maxClosedStreams: Int = 10_000,
                writableFault: WritableFault? = nil, poller: PollerKind = .platformDefault) throws(PolicyError) {
        guard !policy.mayDrop else {
            throw PolicyError(text: policy.description,
                              reason: "this policy drops data, which would corrupt a TCP stream; use wait, spin or sleep=DURATION without max")
        }
        self.listen = listen
        self.connect = connect
        self.policy = policy
        self.injection = injection
        self.bufferSize = bufferSize
        self.copy = copy
        self.closedRetentionMicros = closedRetentionMicros
        self.maxClosedStreams = maxClosedStreams
        self.writableFault = writableFault
        self.poller = poller
    }
}
