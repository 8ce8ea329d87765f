/// The errno values that mean "the destination buffer is full, try again later".
///
/// Linux reports a full socket as EAGAIN/EWOULDBLOCK; macOS reports a full unix datagram peer
/// as ENOBUFS while poll still says writable. They are counted apart because the right
/// reaction differs.
public enum BufferFullCause: Int, CaseIterable, Sendable {
    case eagain = 0
    case enobufs = 1

    /// The label value used in the export.
    public var label: String {
        switch self {
        case .eagain: "EAGAIN"
        case .enobufs: "ENOBUFS"
        }
    }
}

/// Why data was given up on purpose. Every drop is counted under one of these.
public enum DropReason: Int, CaseIterable, Sendable {
    /// The policy is `drop`: give up at the first buffer-full failure.
    case policy = 0
    /// The policy's retry budget (`sleep=…,max=N`) was spent.
    case retryBudget = 1
    /// The send failed for a reason other than a full buffer (a datagram relay's peer is gone
    /// or not known yet: ECONNREFUSED, ENOENT, ENOTCONN…). A byte stream ends instead.
    case sendError = 2
    /// The datagram was larger than the relay's buffer: dropped whole rather than cut.
    case tooLarge = 3
    /// A UDP datagram from a client the relay had no stream for (beyond its stream cap, or
    /// the stream's sockets could not be made).
    case noStream = 4

    public var label: String {
        switch self {
        case .policy: "policy"
        case .retryBudget: "retry_budget"
        case .sendError: "send_error"
        case .tooLarge: "too_large"
        case .noStream: "no_stream"
        }
    }
}

/// How a writer spent the time a buffer-full event held it (`bpagent_retry_seconds_total{how}`).
public enum RetryHow: Int, CaseIterable, Sendable {
    /// Busy retrying (`spin`): the thread is on the CPU the whole time.
    case spin = 0
    /// Sleeping between retries (`sleep=…`): the thread is blocked, mostly off the CPU.
    case sleep = 1
    /// Retry attempts made from the event loop (`wait`): only the attempts themselves.
    case wait = 2

    public var label: String {
        switch self {
        case .spin: "spin"
        case .sleep: "sleep"
        case .wait: "wait"
        }
    }
}

/// What ended a `wait` episode (`bpagent_wait_recoveries_total{how}`): the retry that went
/// through was made for the destination's writable event, or for the retry timer because
/// no event came (macOS after ENOBUFS, a listening socket, `--inject no-writable`).
public enum WaitRecovery: Int, CaseIterable, Sendable {
    case event = 0
    case timer = 1

    public var label: String {
        switch self {
        case .event: "event"
        case .timer: "timer"
        }
    }
}

/// Why a frame's headers could not all be read (`bpagent_frames_malformed_total{defect}`).
public enum FrameDefect: Int, CaseIterable, Sendable {
    /// The frame ended inside a header or before the length its IP header announces.
    case truncated = 0
    /// A header contradicts itself (IHL < 5, wrong IP version, too many IPv6 extension headers).
    case malformed = 1

    public var label: String {
        switch self {
        case .truncated: "truncated"
        case .malformed: "malformed"
        }
    }
}
