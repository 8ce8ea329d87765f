import Telemetry

/// One series' newest slots plus the slot before them, which the first rate needs.
struct SlotWindow {
    /// Read in place: a window figure alone (`slots` 0) never copies the slots.
    var values: SampleWindow
    var times: [Double]
    var epochs: [Int]
    /// Values to produce per result (0: the window figure only).
    var slots: Int
    var labels: LabelSet
    /// The series' own sample timestamps (see `StoredSeries.stamps`); nil: scrape times.
    var stamps: [Double?]? = nil
    /// The type of the family the series belongs to, from its `# TYPE` line.
    var type: MetricType? = nil
    /// Every slot present, whole and non-decreasing in one epoch: the window's increase is its
    /// last value minus its first (`CounterMath.windowIncrease`).
    var monotone = false
    /// For a stamped series, its held rates (`CounterMath.heldRates`) over these slots, from
    /// its whole history: an observation older than the window still sets the rate in it.
    var heldRates: [Double?]? = nil
    /// For a window figure alone (`slots` 0): the value every slot of the window holds, when
    /// the series has not changed within it (`StoredSeries.lastChange`). `values` is then left
    /// unread (empty): most bucket series of a histogram stand still, and reading each one's
    /// ring was a cache miss per series per frame.
    var constant: Double? = nil

    /// A window without its slots, for `constant`.
    static let unread = SampleRing(capacity: 1).window(0)

    func raw() -> QueryResult {
        QueryResult(labels: labels, values: padded(values))
    }

    /// Values as they are, the newest as the window figure (a gauge histogram's buckets).
    func current() -> QueryResult {
        QueryResult(labels: labels, values: slots == 0 ? [] : padded(values), window: constant ?? values.last(where: { $0 != nil }) ?? nil)
    }

    func rates() -> QueryResult {
        guard let stamps else {
            return QueryResult(labels: labels, values: slots == 0 ? [] : padded(CounterMath.rates(values, times: times, epochs: epochs)),
                               window: averageRate)
        }
        let (observed, at) = CounterMath.observations(Array(values), stamps: stamps)
        return QueryResult(labels: labels, values: slots == 0 ? [] : padded(heldRates ?? CounterMath.heldRates(observed, times: at, epochs: epochs)),
                           window: CounterMath.averageRate(observed, times: at, epochs: epochs))
    }

    /// Per-slot increases; `window` holds the increase over the whole window.
    func increases() -> QueryResult {
        guard let stamps else {
            return QueryResult(labels: labels, values: slots == 0 ? [] : padded(CounterMath.increases(values, epochs: epochs)),
                               window: increaseAndSeconds?.increase)
        }
        let (observed, at) = CounterMath.observations(Array(values), stamps: stamps)
        return QueryResult(labels: labels, values: slots == 0 ? [] : padded(CounterMath.increases(observed, epochs: epochs)),
                           window: CounterMath.windowIncrease(observed, times: at, epochs: epochs)?.increase)
    }

    /// The average rate over the window (a series without its own timestamps).
    var averageRate: Double? { CounterMath.averageRate(increaseAndSeconds) }

    /// The window's increase and the seconds it spans (nil with fewer than two values), as
    /// `increases()` gives it without the per-slot values (a series without its own timestamps).
    var increaseAndSeconds: (increase: Double, seconds: Double)? {
        if constant != nil { return (0, times[times.count - 1] - times[0]) }
        return CounterMath.windowIncrease(values, times: times, epochs: epochs, monotone: monotone)
    }

    /// Exactly `slots` values, newest last, with nil in front when the source is younger: one
    /// array, filled in place (charts ask this of every series they sum, every frame).
    private func padded<All: RandomAccessCollection<Double?>>(_ all: All) -> [Double?] {
        let taken = Swift.min(all.count, slots)
        return [Double?](unsafeUninitializedCapacity: slots) { buffer, initialized in
            var slot = buffer.baseAddress!
            for _ in 0..<(slots - taken) {
                slot.initialize(to: nil)
                slot += 1
            }
            for value in all.suffix(taken) {
                slot.initialize(to: value)
                slot += 1
            }
            initialized = slots
        }
    }
}
