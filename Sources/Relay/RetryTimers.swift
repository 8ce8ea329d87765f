import Telemetry

/// The TCP relay's retry timers: when each blocked direction is tried again if its writable
/// event does not come (macOS after ENOBUFS, `--inject no-writable`). A binary heap, earliest
/// first. Entries are never taken out early: one whose direction was unblocked by an event,
/// rescheduled or closed is recognised as stale when it comes due and skipped.
struct RetryTimers {
    struct Entry {
        let deadline: UInt64
        let stream: RelayStream
        let direction: Direction
    }

    private var heap: [Entry] = []

    var earliest: UInt64? { heap.first?.deadline }

    mutating func schedule(_ entry: Entry) {
        heap.append(entry)
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[child].deadline < heap[parent].deadline else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    /// The earliest entry if it is due by `nowMicros`, removed.
    mutating func popDue(nowMicros: UInt64) -> Entry? {
        guard let first = heap.first, first.deadline <= nowMicros else { return nil }
        let last = heap.removeLast()
        guard !heap.isEmpty else { return first }
        heap[0] = last
        var parent = 0
        while true {
            let left = 2 * parent + 1, right = left + 1
            var smallest = parent
            if left < heap.count && heap[left].deadline < heap[smallest].deadline { smallest = left }
            if right < heap.count && heap[right].deadline < heap[smallest].deadline { smallest = right }
            guard smallest != parent else { return first }
            heap.swapAt(parent, smallest)
            parent = smallest
        }
    }
}
