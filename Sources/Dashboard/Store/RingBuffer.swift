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
