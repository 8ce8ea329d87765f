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

    public var label: String {
        switch self {
        case .policy: "policy"
        case .retryBudget: "retry_budget"
        }
    }
}
