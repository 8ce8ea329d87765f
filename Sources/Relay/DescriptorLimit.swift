#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The process's file descriptor limit (RLIMIT_NOFILE). Each relayed TCP stream holds two
/// sockets and, with splice, two pipes: at the common soft limit of 1024 that caps the relay
/// at about 170 streams, so the agent raises its soft limit to the hard one at start.
public enum DescriptorLimit {
    /// The soft limit now.
    public static var soft: Int {
        var limit = rlimit()
        guard getrlimit(resourceKind, &limit) == 0 else { return 1024 }
        return Int(clamping: limit.rlim_cur)
    }

    /// Raises the soft limit to the hard one (on macOS to at most OPEN_MAX, which is all
    /// setrlimit accepts there); returns (before, after).
    @discardableResult
    public static func raiseSoftToHard() -> (before: Int, after: Int) {
        var limit = rlimit()
        guard getrlimit(resourceKind, &limit) == 0 else { return (soft, soft) }
        let before = Int(clamping: limit.rlim_cur)
        guard limit.rlim_cur < limit.rlim_max else { return (before, before) }
        limit.rlim_cur = limit.rlim_max
        #if canImport(Darwin)
        limit.rlim_cur = min(limit.rlim_max, rlim_t(OPEN_MAX))
        #endif
        _ = setrlimit(resourceKind, &limit)
        return (before, soft)
    }

    #if canImport(Glibc)
    private static let resourceKind = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
    #else
    private static let resourceKind = RLIMIT_NOFILE
    #endif
}

/// Whether the TCP relay takes new connections. When descriptors run short it stops watching
/// its listener for 100 ms at a time, so waiting connections stay in the kernel's backlog
/// (their clients wait or retry) rather than being accepted and refused in a busy loop, and a
/// reserve is left for the export server: /healthz keeps answering.
struct AcceptGate {
    /// Descriptors kept free for the export server (its connections), logging and the
    /// sockets and pipes of the stream just accepted: a quarter of the limit, at most 96.
    let reserve: Int
    let softLimit: Int
    private(set) var pausedUntil: UInt64?
    private var shortSince: UInt64?
    private static let pauseMicros: UInt64 = 100_000

    init(softLimit: Int) {
        self.softLimit = softLimit
        reserve = min(96, softLimit / 4)
    }

    var isPaused: Bool { pausedUntil != nil }

    /// Descriptors are allocated lowest first, so an accepted `fd` this high means at most
    /// `reserve` are left.
    func isShort(afterAccepting fd: Int32) -> Bool { Int(fd) >= softLimit - reserve }

    /// Pauses accepting; returns a line to log when descriptors just started running short.
    mutating func pause(nowMicros: UInt64, reason: String) -> String? {
        pausedUntil = nowMicros + Self.pauseMicros
        guard shortSince == nil else { return nil }
        shortSince = nowMicros
        return "descriptors running short (\(reason); soft limit \(softLimit), \(reserve) kept for the export): "
            + "not accepting new connections until streams close; waiting ones stay queued in the kernel"
    }

    /// At the end of a pause: resumes when the lowest free descriptor (probed by duplicating
    /// `probe`) is below the reserve, and returns a line to log; else pauses again.
    mutating func resumeIfDue(nowMicros: UInt64, probe: Int32) -> String? {
        guard let until = pausedUntil, nowMicros >= until else { return nil }
        let lowest = fcntl(probe, F_DUPFD, 0)
        if lowest >= 0 { close(lowest) }
        guard lowest >= 0, Int(lowest) < softLimit - reserve else {
            pausedUntil = nowMicros + Self.pauseMicros
            return nil
        }
        pausedUntil = nil
        let since = shortSince ?? nowMicros
        shortSince = nil
        return "descriptors available again after \((nowMicros - since) / 1000) ms: accepting new connections"
    }
}
