/// Rates and increases of cumulative counters, with Prometheus' reset rule: when a counter
/// goes down, or the agent restarted in between (its start time changed), the counter began
/// again at zero, so the increase is the new value itself — never negative, never a spike.
enum CounterMath {
    static func increase(from old: Double, to new: Double, restarted: Bool) -> Double {
        restarted || new < old ? new : new - old
    }

    /// Per slot, the rate since the previous slot; nil at the first slot and wherever either
    /// side is a gap (a gap is drawn as a gap, never as zero). Lazy: a caller copies only the
    /// slots it shows, once.
    static func rates<Values: RandomAccessCollection<Double?>>(_ values: Values, times: [Double], epochs: [Int])
        -> LazyMapCollection<Range<Int>, Double?> where Values.Index == Int {
        (values.startIndex..<values.endIndex).lazy.map { i in
            guard i > 0, let new = values[i], let old = values[i - 1], times[i] > times[i - 1] else { return nil }
            return increase(from: old, to: new, restarted: epochs[i] != epochs[i - 1]) / (times[i] - times[i - 1])
        }
    }

    /// A stamped series' values where they were new observations (nil at repeats), and the
    /// observations' own times (-∞ elsewhere, never read).
    static func observations(_ values: [Double?], stamps: [Double?]) -> (values: [Double?], times: [Double]) {
        let n = min(values.count, stamps.count)
        return ((0..<n).map { stamps[$0] == nil ? nil : values[$0] }, (0..<n).map { stamps[$0] ?? -.infinity })
    }

    /// Per slot, the rate between the two newest observations at or before it, held until the
    /// next one: a series observed every 15 s reads its rate over those 15 s in every 1 s slot,
    /// as Prometheus' `rate()` would; nil until two observations are in.
    static func heldRates(_ observed: [Double?], times: [Double], epochs: [Int]) -> [Double?] {
        var out: [Double?] = []
        out.reserveCapacity(observed.count)
        var previous: Int?
        var held: Double?
        for i in observed.indices {
            if let new = observed[i] {
                if let p = previous, let old = observed[p], times[i] > times[p] {
                    held = increase(from: old, to: new, restarted: epochs[i] != epochs[p]) / (times[i] - times[p])
                }
                previous = i
            }
            out.append(held)
        }
        return out
    }

    /// Per slot, the increase since the previous slot (nil like `rates`), lazily.
    static func increases<Values: RandomAccessCollection<Double?>>(_ values: Values, epochs: [Int])
        -> LazyMapCollection<Range<Int>, Double?> where Values.Index == Int {
        (values.startIndex..<values.endIndex).lazy.map { i in
            guard i > 0, let new = values[i], let old = values[i - 1] else { return nil }
            return increase(from: old, to: new, restarted: epochs[i] != epochs[i - 1])
        }
    }

    /// The increase from the first to the last value present, summed pair by pair across
    /// gaps so a reset inside the window still counts from zero; nil with fewer than two values.
    /// One pass, nothing allocated: it runs for every selected series of every window query.
    ///
    /// `monotone`: every value is present, a whole number and at least the one before, within one
    /// epoch (see `StoredSeries.lastBreak`), so the pairs' increases sum to last minus first.
    static func windowIncrease<Values: RandomAccessCollection<Double?>>(_ values: Values, times: [Double], epochs: [Int],
                                                                        monotone: Bool = false)
        -> (increase: Double, seconds: Double)? where Values.Index == Int {
        if monotone, values.count >= 2, let first = values[values.startIndex], let last = values[values.endIndex - 1] {
            return (last - first, times[values.endIndex - 1] - times[values.startIndex])
        }
        var first: Int?
        var previous: (index: Int, value: Double)?
        var total = 0.0
        for i in values.indices {
            guard let value = values[i] else { continue }
            if let (p, old) = previous {
                total += increase(from: old, to: value, restarted: epochs[p] != epochs[i])
            } else {
                first = i
            }
            previous = (i, value)
        }
        guard let first, let last = previous?.index, first < last else { return nil }
        return (total, times[last] - times[first])
    }

    /// A window's increase over the time it spans; nil without time.
    static func averageRate(_ window: (increase: Double, seconds: Double)?) -> Double? {
        window.flatMap { $0.seconds > 0 ? $0.increase / $0.seconds : nil }
    }

    /// The average rate over the window: `windowIncrease` over the time it spans.
    static func averageRate<Values: RandomAccessCollection<Double?>>(_ values: Values, times: [Double], epochs: [Int],
                                                                     monotone: Bool = false) -> Double?
    where Values.Index == Int {
        averageRate(windowIncrease(values, times: times, epochs: epochs, monotone: monotone))
    }
}
