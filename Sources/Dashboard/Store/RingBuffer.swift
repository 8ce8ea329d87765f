/// A bounded FIFO: appending to a full buffer overwrites the oldest element, so a series never
/// holds more than `capacity` slots however long bptop runs. Memory grows with what is stored
/// (doubling up to `capacity`), not with the capacity: a series seen once costs a few slots.
struct RingBuffer<Element: Sendable>: Sendable {
    let capacity: Int
    private var storage: [Element] = []
    /// Index in `storage` of the oldest element once the buffer is full.
    private var head = 0

    init(capacity: Int) {
        precondition(capacity > 0, "a ring buffer needs at least one slot")
        self.capacity = capacity
        storage.reserveCapacity(min(capacity, 4))
    }

    var count: Int { storage.count }

    mutating func append(_ element: Element) {
        if storage.count < capacity {
            if storage.count == storage.capacity { storage.reserveCapacity(min(capacity, storage.capacity * 2)) }
            storage.append(element)
        } else {
            storage[head] = element
            head = head + 1 == capacity ? 0 : head + 1  // no division: this runs for every sample
        }
    }

    /// The newest `n` elements (fewer when fewer are stored), oldest first.
    func suffix(_ n: Int) -> [Element] {
        let taken = min(max(n, 0), storage.count)
        return (storage.count - taken..<storage.count).map { storage[(head + $0) % storage.count] }
    }

    var last: Element? { storage.isEmpty ? nil : storage[(head + storage.count - 1) % storage.count] }

    /// The element `k` places after the oldest (`k` < `count`).
    subscript(fromOldest k: Int) -> Element {
        let i = head + k
        return storage[i < storage.count ? i : i - storage.count]
    }

    /// Overwrites the newest element (there must be one).
    mutating func replaceLast(_ element: Element) {
        storage[(head + storage.count - 1) % storage.count] = element
    }
}

/// A ring of samples where a missing value is stored as NaN: 8 bytes a slot instead of the
/// 16 an `Optional<Double>` takes, which halves the store. NaN never stands for a real sample
/// (the store drops NaN samples as "nothing to report"), so nothing is lost.
///
/// A series that appears after its source has scraped for a while starts with `leadingGaps`
/// slots it was absent for: counted, not stored, so a new series costs nothing for its past.
struct SampleRing: Sendable {
    private var ring: RingBuffer<Double>
    private var leadingGaps: Int

    init(capacity: Int, leadingGaps: Int = 0) {
        ring = RingBuffer(capacity: capacity)
        self.leadingGaps = min(max(leadingGaps, 0), capacity)
    }

    mutating func append(_ value: Double?) {
        // Full (gaps and stored together): the oldest slot to go is a leading gap, if any is left.
        if leadingGaps > 0, leadingGaps + ring.count >= ring.capacity { leadingGaps -= 1 }
        ring.append(value ?? .nan)
    }

    mutating func replaceLast(_ value: Double) {
        ring.replaceLast(value)
    }

    /// The newest `n` slots, oldest first, gaps as nil.
    func suffix(_ n: Int) -> [Double?] {
        Array(window(n))
    }

    /// The newest `n` slots (fewer when the source has fewer), read in place.
    func window(_ n: Int) -> SampleWindow {
        let stored = min(max(n, 0), ring.count)
        let gaps = min(max(n - stored, 0), leadingGaps)
        return SampleWindow(ring: ring, gaps: gaps, firstStored: ring.count - stored, count: gaps + stored)
    }
}

/// The newest slots of a `SampleRing`, oldest first, gaps as nil: what `suffix` returns, read
/// in place instead of copied. A frame reads the window of every series it selects (the
/// stall histograms alone are 30 buckets a stream), and building two arrays per series per
/// query was a quarter of the frame's time.
struct SampleWindow: RandomAccessCollection {
    fileprivate let ring: RingBuffer<Double>
    /// Leading slots before the series first appeared.
    fileprivate let gaps: Int
    /// The ring position (from its oldest) of the first stored slot in the window.
    fileprivate let firstStored: Int
    let count: Int

    var startIndex: Int { 0 }
    var endIndex: Int { count }

    subscript(i: Int) -> Double? {
        guard i >= gaps else { return nil }
        let value = ring[fromOldest: firstStored + i - gaps]
        return value.isNaN ? nil : value
    }
}
