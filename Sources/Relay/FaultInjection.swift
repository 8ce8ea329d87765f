/// Deterministic buffer-full failures at the send wrapper (`--inject enobufs:every=N,burst=K`).
///
/// Reproduces macOS's ENOBUFS on Linux. Every Nth write operation of a direction (a send of
/// new data, not a retry) fails K times in a row with ENOBUFS without calling send(2). So a
/// direction that made W successful writes saw exactly ⌊W/N⌋ injected events and K retries
/// after ENOBUFS for each, which is what the tests check.
public struct FaultInjection: Equatable, Sendable, CustomStringConvertible {
    public let every: Int
    public let burst: Int

    public init(every: Int, burst: Int = 1) {
        self.every = every
        self.burst = burst
    }

    public var description: String { "enobufs:every=\(every),burst=\(burst)" }

    /// Parses `enobufs:every=N[,burst=K]`.
    public init(parsing text: String) throws(InjectionError) {
        guard text.hasPrefix("enobufs:") else {
            throw InjectionError(text: text, reason: "expected enobufs:every=N[,burst=K]")
        }
        var every: Int?
        var burst = 1
        for part in text.dropFirst("enobufs:".count).split(separator: ",", omittingEmptySubsequences: false) {
            let kv = part.split(separator: "=", maxSplits: 1)
            guard kv.count == 2, let n = Int(kv[1]), n >= 1 else {
                throw InjectionError(text: text, reason: "\"\(part)\" must be every=N or burst=K with N, K ≥ 1")
            }
            switch kv[0] {
            case "every": every = n
            case "burst": burst = n
            default: throw InjectionError(text: text, reason: "unknown key \"\(kv[0])\" (every, burst)")
            }
        }
        guard let every else { throw InjectionError(text: text, reason: "every=N is required") }
        self.init(every: every, burst: burst)
    }
}

/// Every `--inject` given: at most one of each kind.
public struct InjectedFaults: Equatable, Sendable, CustomStringConvertible {
    /// `enobufs:…`: ENOBUFS at the send wrapper.
    public var enobufs: FaultInjection?
    /// `no-writable[:…]`: the poller withholds a blocked destination's writable event.
    public var noWritable: WritableFault?

    public init(enobufs: FaultInjection? = nil, noWritable: WritableFault? = nil) {
        self.enobufs = enobufs
        self.noWritable = noWritable
    }

    public init(parsing specs: [String]) throws(InjectionError) {
        self.init()
        for spec in specs {
            if spec.hasPrefix("enobufs:") {
                guard enobufs == nil else { throw InjectionError(text: spec, reason: "enobufs is given twice") }
                enobufs = try FaultInjection(parsing: spec)
            } else if spec == "no-writable" || spec.hasPrefix("no-writable:") {
                guard noWritable == nil else { throw InjectionError(text: spec, reason: "no-writable is given twice") }
                noWritable = try WritableFault(parsing: spec)
            } else {
                throw InjectionError(text: spec, reason: "expected enobufs:every=N[,burst=K] or no-writable[:for=DURATION]")
            }
        }
    }

    /// `enobufs:every=97,burst=3 no-writable`, or "" when nothing is injected.
    public var description: String {
        [enobufs?.description, noWritable?.description].compactMap { $0 }.joined(separator: " ")
    }
}

public struct InjectionError: Error, CustomStringConvertible, Sendable {
    public let text: String
    public let reason: String
    public var description: String { "invalid --inject \"\(text)\": \(reason)" }
}
