/// A fixed-capacity FIFO: appending to a full buffer overwrites the oldest element, so a
/// series never holds more than `capacity` slots however long bptop runs.
struct RingBuffer<Element: Sendable>: Sendable {
    let capacity: Int
    private var storage: [Element] = []
    /// Index in `storage` of the oldest element once the buffer is full.
    private var head = 0

    init(capacity: Int) {
        precondition(capacity > 0, "a ring buffer needs at least one slot")
        self.capacity = capacity
        storage.reserveCapacity(capacity)
    }

    var count: Int { storage.count }

    mutating func append(_ element: Element) {
        if storage.count < capacity {
            storage.append(element)
        } else {
            storage[head] = element
            head = (head + 1) % capacity
        }
    }

    /// The newest `n` elements (fewer when fewer are stored), oldest first.
    func suffix(_ n: Int) -> [Element] {
        let taken = min(max(n, 0), storage.count)
        return (storage.count - taken..<storage.count).map { storage[(head + $0) % storage.count] }
    }

    var last: Element? { storage.isEmpty ? nil : storage[(head + storage.count - 1) % storage.count] }
}
