/// `--inject no-writable[:for=DURATION]`: after a buffer-full failure the destination's
/// writable event does not come, as with libkrun's kqueue on macOS (edge-triggered, and no
/// new edge after ENOBUFS). Without a duration the event is withheld until the owner stops
/// asking for it (its write went through some other way); with one, for that long after
/// each failure. The relays must still deliver everything: their retry timer has to do it.
public struct WritableFault: Equatable, Sendable, CustomStringConvertible {
    /// nil: until the owner's interest drops `.write`.
    public let withholdMicros: UInt64?

    public init(withholdMicros: UInt64? = nil) {
        self.withholdMicros = withholdMicros
    }

    public var description: String { withholdMicros.map { "no-writable:for=\($0)us" } ?? "no-writable" }
}

/// The poller's side of a `WritableFault`: which descriptors have their writable interest
/// masked, and what to register again when the mask ends. Test machinery, so plain
/// dictionaries are fine here.
struct WithheldWritable {
    let fault: WritableFault
    /// What each descriptor's owner asked for.
    private var interests: [Int32: Interest] = [:]
    /// Masked descriptors and when the mask ends (`.max`: when the owner drops `.write`).
    private var until: [Int32: UInt64] = [:]

    init(_ fault: WritableFault) { self.fault = fault }

    /// Records what the owner asked for; returns what to register.
    mutating func register(_ fd: Int32, _ interest: Interest) -> Interest {
        interests[fd] = interest
        if !interest.contains(.write) { until[fd] = nil }
        return until[fd] == nil ? interest : interest.subtracting(.write)
    }

    mutating func forget(_ fd: Int32) {
        interests[fd] = nil
        until[fd] = nil
    }

    /// Masks `fd`'s writable interest; returns what to register now.
    mutating func withhold(_ fd: Int32, nowMicros: UInt64) -> Interest {
        until[fd] = fault.withholdMicros.map { nowMicros &+ $0 } ?? .max
        return (interests[fd] ?? []).subtracting(.write)
    }

    /// `timeout` shortened so a mask that ends is lifted on time.
    func timeout(_ timeout: Int32, nowMicros: UInt64) -> Int32 {
        guard let end = until.values.min(), end != .max else { return timeout }
        let millis = Int32(clamping: end > nowMicros ? (end - nowMicros + 999) / 1000 : 0)
        return timeout < 0 ? millis : min(timeout, millis)
    }

    /// Lifts the masks that ended; returns what to register for each.
    mutating func expire(nowMicros: UInt64) -> [(Int32, Interest)] {
        var lifted: [(Int32, Interest)] = []
        for (fd, end) in until where end <= nowMicros {
            until[fd] = nil
            lifted.append((fd, interests[fd] ?? []))
        }
        return lifted
    }
}

extension WritableFault {
    /// Parses `no-writable` or `no-writable:for=DURATION` (`500us`, `20ms`; up to 1 s).
    public init(parsing text: String) throws(InjectionError) {
        if text == "no-writable" {
            self.init()
            return
        }
        guard text.hasPrefix("no-writable:for="),
              let micros = RetryPolicy.parseMicros(text.dropFirst("no-writable:for=".count)) else {
            throw InjectionError(text: text, reason: "expected no-writable or no-writable:for=DURATION (such as 500us or 20ms, up to 1s)")
        }
        self.init(withholdMicros: UInt64(micros))
    }
}
