/// What the UDP side of `bpagent relay` is told on its command line.
public struct UDPRelayConfiguration: Sendable {
    /// The largest datagram UDP carries (IPv6 without jumbograms: 65,527 bytes), rounded up.
    public static let largestDatagram = 65_536

    public var listen: SocketAddress
    public var connect: SocketAddress
    /// Any of the four: `drop` and `sleep=…,max=N` give a datagram up and count it.
    public var policy: RetryPolicy
    public var injection: FaultInjection?
    /// Per direction, the one datagram being relayed; a larger one is dropped whole
    /// (`reason="too_large"`), never cut.
    public var bufferSize: Int
    /// SO_SNDBUF / SO_RCVBUF of every UDP socket the relay opens. The receive buffer is the
    /// burst the agent absorbs before the kernel drops (`bpagent_kernel_drops_total`).
    public var sendBuffer: Int
    public var receiveBuffer: Int
    /// Client address:port pairs relayed at once; datagrams of further clients are dropped and
    /// counted under one overflow stream.
    public var maxStreams: Int
    /// A stream without a datagram either way for this long is closed and its sockets freed.
    public var idleMicros: UInt64
    public var closedRetentionMicros: UInt64
    public var maxClosedStreams: Int
    /// The event loop's readiness API and the withheld-writable fault, as for the TCP relay.
    public var poller: PollerKind
    public var writableFault: WritableFault?

    public init(listen: SocketAddress, connect: SocketAddress, policy: RetryPolicy = .wait,
                injection: FaultInjection? = nil, bufferSize: Int = largestDatagram, sendBuffer: Int = 1 << 20,
                receiveBuffer: Int = 4 << 20, maxStreams: Int = 1024, idleMicros: UInt64 = 60_000_000,
                closedRetentionMicros: UInt64 = 300_000_000, maxClosedStreams: Int = 10_000,
                poller: PollerKind = .platformDefault, writableFault: WritableFault? = nil) {
        self.listen = listen
        self.connect = connect
        self.policy = policy
        self.injection = injection
        self.bufferSize = min(bufferSize, Self.largestDatagram)
        self.sendBuffer = sendBuffer
        self.receiveBuffer = receiveBuffer
        self.maxStreams = maxStreams
        self.idleMicros = idleMicros
        self.closedRetentionMicros = closedRetentionMicros
        self.maxClosedStreams = maxClosedStreams
        self.poller = poller
        self.writableFault = writableFault
    }
}
