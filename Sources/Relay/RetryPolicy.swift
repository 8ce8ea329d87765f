/// What a writer does when the destination's buffer is full (`--on-full`).
///
/// These are the strategies real network helpers use; every one is counted the same way so
/// runs under each can be compared side by side.
public enum RetryPolicy: Equatable, Sendable, CustomStringConvertible {
    /// Go back to the event loop and retry when the destination is writable (libkrun's fix).
    case wait
    /// Retry at once until it works (gvproxy).
    case spin
    /// Sleep, retry; after `maxRetries` retries give the data up (vmnet-helper). No limit when nil.
    case sleep(micros: UInt32, maxRetries: Int?)
    /// Give the data up at the first failure.
    case drop

    /// Whether this policy can give data up; a byte stream must never lose bytes.
    public var mayDrop: Bool {
        switch self {
        case .wait, .spin: false
        case .sleep(_, let max): max != nil
        case .drop: true
        }
    }

    public var description: String {
        switch self {
        case .wait: "wait"
        case .spin: "spin"
        case .sleep(let us, nil): "sleep=\(us)us"
        case .sleep(let us, let max?): "sleep=\(us)us,max=\(max)"
        case .drop: "drop"
        }
    }

    /// Parses `wait`, `spin`, `drop`, `sleep=50us`, `sleep=1ms,max=10`.
    public init(parsing text: String) throws(PolicyError) {
        switch text {
        case "wait": self = .wait
        case "spin": self = .spin
        case "drop": self = .drop
        default:
            guard text.hasPrefix("sleep=") else {
                throw PolicyError(text: text, reason: "expected wait, spin, drop or sleep=DURATION[,max=N]")
            }
            let parts = text.dropFirst("sleep=".count).split(separator: ",", omittingEmptySubsequences: false)
            guard let micros = Self.parseMicros(parts[0]) else {
                throw PolicyError(text: text, reason: "sleep duration must look like 50us or 2ms (1us to 1s)")
            }
            var max: Int?
            for part in parts.dropFirst() {
                guard part.hasPrefix("max="), let n = Int(part.dropFirst(4)), n >= 0 else {
                    throw PolicyError(text: text, reason: "expected max=N with N a whole number")
                }
                max = n
            }
            self = .sleep(micros: micros, maxRetries: max)
        }
    }

    /// `50us` or `2ms` (1 µs to 1 s) as microseconds; nil otherwise. Also used by `--read-delay`.
    public static func parseMicros(_ s: Substring) -> UInt32? {
        let (digits, scale): (Substring, UInt32)
        if s.hasSuffix("us") { (digits, scale) = (s.dropLast(2), 1) }
        else if s.hasSuffix("ms") { (digits, scale) = (s.dropLast(2), 1000) }
        else { return nil }
        guard let n = UInt32(digits), n > 0, n <= 1_000_000 / scale else { return nil }
        return n * scale
    }
}

public struct PolicyError: Error, CustomStringConvertible, Sendable {
    public let text: String
    public let reason: String
    public var description: String { "invalid --on-full \"\(text)\": \(reason)" }
}
