import SeededRandom
import Telemetry
import Testing
@testable import Relay

@Suite struct FlowTableTests {
    /// UDP 10.0.0.1:`port` → 10.0.0.2:53, one distinct flow per port.
    func flow(_ port: UInt16) -> FlowKey {
        FlowKey(kind: .ipv4, ipProtocol: 17, source: FrameCase.v4.a, destination: FrameCase.v4.b,
                sourcePort: port, destinationPort: 53)
    }

    func reversed(_ key: FlowKey) -> FlowKey {
        var key = key
        swap(&key.source, &key.destination)
        swap(&key.sourcePort, &key.destinationPort)
        return key
    }

    let second: UInt64 = 1_000_000

    @Test func fillsToCapacityThenCountsOverflow() {
        var table = FlowTable(capacity: 3)
        for (slot, port) in [UInt16(1000), 1001, 1002].enumerated() {
            #expect(table.lookup(flow(port), nowMicros: 0) == .init(slot: slot, direction: .c2s, event: .inserted))
        }
        #expect(table.lookup(flow(2000), nowMicros: 1) == .init(slot: 3, direction: .c2s, event: .overflow))
        #expect(table.lookup(reversed(flow(2000)), nowMicros: 2) == .init(slot: 3, direction: .s2c, event: .overflow))
        #expect(table.lookup(flow(1001), nowMicros: 3) == .init(slot: 1, direction: .c2s, event: .existing))
        #expect(table.overflowSlot == 3)
        #expect(table.count == 3)
        #expect(table.overflowCount == 2)
        #expect(table.evictedCount == 0)
        #expect(table.key(at: 1) == flow(1001))
        #expect(table.key(at: 3) == nil)
    }

    @Test func firstSenderIsTheClient() {
        var table = FlowTable(capacity: 4)
        // 10.0.0.1:1000 speaks first: its frames are c2s.
        #expect(table.lookup(flow(1000), nowMicros: 0).direction == .c2s)
        #expect(table.lookup(reversed(flow(1000)), nowMicros: 1) == .init(slot: 0, direction: .s2c, event: .existing))
        #expect(table.lookup(flow(1000), nowMicros: 2).direction == .c2s)
        // 10.0.0.2:53 speaks first for this one, although it is the larger endpoint.
        #expect(table.lookup(reversed(flow(1001)), nowMicros: 3) == .init(slot: 1, direction: .c2s, event: .inserted))
        #expect(table.lookup(flow(1001), nowMicros: 4) == .init(slot: 1, direction: .s2c, event: .existing))
        #expect(table.count == 2)
        #expect(table.key(at: 1) == flow(1001))
    }

    @Test func reusesTheLeastRecentlySeenSlotOnlyOnceIdle() {
        var table = FlowTable(capacity: 2, idleTimeout: .seconds(10))
        _ = table.lookup(flow(1), nowMicros: 0)
        _ = table.lookup(flow(2), nowMicros: 5 * second)
        #expect(table.lookup(flow(3), nowMicros: 10 * second - 1).event == .overflow)
        #expect(table.lookup(flow(3), nowMicros: 10 * second) == .init(slot: 0, direction: .c2s, event: .replaced(flow(1))))
        #expect(table.lookup(flow(1), nowMicros: 10 * second).event == .overflow)
        // Seeing flow 2 again makes flow 3 (last seen at 10 s) the oldest: not idle at 19.9 s.
        #expect(table.lookup(reversed(flow(2)), nowMicros: 14 * second) == .init(slot: 1, direction: .s2c, event: .existing))
        #expect(table.lookup(flow(4), nowMicros: 19 * second).event == .overflow)
        #expect(table.lookup(flow(4), nowMicros: 20 * second) == .init(slot: 0, direction: .c2s, event: .replaced(flow(3))))
        #expect(table.evictedCount == 2)
        #expect(table.overflowCount == 3)
    }

    @Test func removeIdleRetiresOldestFirstAndFreesTheSlots() {
        var table = FlowTable(capacity: 4, idleTimeout: .seconds(10))
        for port in UInt16(0)..<3 { _ = table.lookup(flow(port), nowMicros: UInt64(port) * second) }
        _ = table.lookup(flow(0), nowMicros: 3 * second)
        var retired: [(Int, FlowKey)] = []
        table.removeIdle(nowMicros: 12 * second) { retired.append(($0, $1)) }
        #expect(retired.map(\.0) == [1, 2])
        #expect(retired.map(\.1) == [flow(1), flow(2)])
        #expect(table.count == 1)
        #expect(table.evictedCount == 2)
        #expect(table.key(at: 1) == nil)
        #expect(table.lookup(flow(7), nowMicros: 12 * second) == .init(slot: 2, direction: .c2s, event: .inserted))
        #expect(table.lookup(flow(8), nowMicros: 12 * second) == .init(slot: 1, direction: .c2s, event: .inserted))
        #expect(table.lookup(flow(9), nowMicros: 12 * second) == .init(slot: 3, direction: .c2s, event: .inserted))
        #expect(table.lookup(flow(10), nowMicros: 12 * second).event == .overflow)
    }

    /// Many short flows through a small table: every frame lands somewhere, the table never
    /// holds more than its capacity, and the counters add up exactly.
    @Test func churnKeepsExactCounts() {
        var table = FlowTable(capacity: 64, idleTimeout: .milliseconds(1025))
        var events = (existing: 0, inserted: 0, replaced: 0, overflow: 0)
        for frame in 0..<100_000 {
            // A frame every 100 µs; every 50 ms four new flows take over from the last four,
            // so about 80 flows are less than 1.025 s idle: more than the 64 slots.
            let entry = table.lookup(flow(UInt16(frame / 500 * 4 + frame % 4)), nowMicros: UInt64(frame) * 100)
            #expect(entry.slot <= 64)
            switch entry.event {
            case .existing: events.existing += 1
            case .inserted: events.inserted += 1
            case .replaced: events.replaced += 1
            case .overflow: events.overflow += 1
            }
        }
        #expect(table.count == 64)
        #expect(events.inserted == 64)
        // Once full, a new group waits 25 ms (overflow) for an old group to go idle, and only
        // about 16 of every 21 groups find one before they end: 139 groups got slots.
        #expect(events.replaced == 139 * 4)
        #expect(events.overflow == 56_694)
        #expect(events.existing + events.inserted + events.replaced + events.overflow == 100_000)
        #expect(UInt64(events.overflow) == table.overflowCount)
        #expect(UInt64(events.replaced) == table.evictedCount)
    }

    /// A seed whose hash is 0 for every key: every flow lands in the same bucket, so each
    /// lookup walks the whole cluster and each removal shifts it back.
    static let collideAll = FlowHashSeed(words: (0, 0, 0, 0, 0, 0), finish: 0)

    @Test func everyKeyInOneBucketStillFindsItsOwnSlot() {
        var table = FlowTable(capacity: 8, idleTimeout: .seconds(10), seed: Self.collideAll)
        for port in UInt16(0)..<8 {
            #expect(table.lookup(flow(port), nowMicros: UInt64(port)) == .init(slot: Int(port), direction: .c2s, event: .inserted))
        }
        for port in UInt16(0)..<8 {
            #expect(table.lookup(reversed(flow(port)), nowMicros: 8) == .init(slot: Int(port), direction: .s2c, event: .existing))
        }
        #expect(table.lookup(flow(100), nowMicros: 8).event == .overflow)
        // Take out flows from the middle and the start of the cluster: the rest are still found.
        _ = table.lookup(flow(0), nowMicros: 20 * second)
        _ = table.lookup(flow(4), nowMicros: 20 * second)
        for port in UInt16(5)..<8 { _ = table.lookup(flow(port), nowMicros: 20 * second) }
        var retired: [Int] = []
        table.removeIdle(nowMicros: 25 * second) { slot, _ in retired.append(slot) }
        #expect(retired == [1, 2, 3])
        for port: UInt16 in [0, 4, 5, 6, 7] {
            #expect(table.lookup(flow(port), nowMicros: 26 * second) == .init(slot: Int(port), direction: .c2s, event: .existing))
        }
        for port in UInt16(1)..<4 { #expect(table.key(at: Int(port)) == nil) }
        #expect(table.count == 5)
    }

    @Test func evictionAtTheCapReusesTheSlotAndForgetsTheOldKey() {
        for seed in [Self.collideAll, .random()] {
            var table = FlowTable(capacity: 2, idleTimeout: .seconds(10), seed: seed)
            _ = table.lookup(flow(1), nowMicros: 0)
            _ = table.lookup(flow(2), nowMicros: 1)
            #expect(table.lookup(reversed(flow(3)), nowMicros: 10 * second) == .init(slot: 0, direction: .c2s, event: .replaced(flow(1))))
            // The replaced flow is gone from the index; the new one is found from both ends.
            #expect(table.lookup(flow(3), nowMicros: 10 * second) == .init(slot: 0, direction: .s2c, event: .existing))
            #expect(table.key(at: 0) == flow(3))
            #expect(table.lookup(flow(1), nowMicros: 10 * second + 1) == .init(slot: 1, direction: .c2s, event: .replaced(flow(2))))
            #expect(table.lookup(flow(2), nowMicros: 10 * second + 2).event == .overflow)
            #expect(table.count == 2)
            #expect(table.evictedCount == 2)
            #expect(table.overflowCount == 1)
        }
    }

    /// Random churn against a plain model (a dictionary and timestamps): the same slot, event
    /// and direction for every lookup, whether keys spread or all collide.
    @Test(arguments: [false, true])
    func matchesAModelUnderChurn(collide: Bool) {
        var rng = SeededGenerator(seed: 7)
        let capacity = 50
        var table = FlowTable(capacity: capacity, idleTimeout: .microseconds(3000), seed: collide ? Self.collideAll : .random())
        var model: [Int: (port: UInt16, lastSeen: UInt64, clientSwapped: Bool)] = [:]
        var free = Array((0..<capacity).reversed())
        var overflow: UInt64 = 0, evicted: UInt64 = 0
        for step in 0..<20_000 {
            let now = UInt64(step) * 10
            if step % 997 == 0 {
                var expected: [Int] = []
                for (slot, flow) in model.sorted(by: { ($0.value.lastSeen, $0.key) < ($1.value.lastSeen, $1.key) })
                where now >= flow.lastSeen + 3000 {
                    expected.append(slot)
                }
                var retired: [Int] = []
                table.removeIdle(nowMicros: now) { slot, _ in retired.append(slot) }
                #expect(Set(retired) == Set(expected))
                for slot in retired { model[slot] = nil; free.append(slot) }
                evicted += UInt64(retired.count)
            }
            let port = UInt16.random(in: 0..<120, using: &rng)
            let fromServer = Bool.random(using: &rng)
            let key = fromServer ? reversed(flow(port)) : flow(port)
            let entry = table.lookup(key, nowMicros: now)
            if let (slot, known) = model.first(where: { $0.value.port == port }).map({ ($0.key, $0.value) }) {
                #expect(entry == .init(slot: slot, direction: known.clientSwapped == fromServer ? .c2s : .s2c, event: .existing))
                model[slot]!.lastSeen = now
            } else if let slot = free.popLast() {
                #expect(entry == .init(slot: slot, direction: .c2s, event: .inserted))
                model[slot] = (port, now, fromServer)
            } else if let (slot, oldest) = model.min(by: { $0.value.lastSeen < $1.value.lastSeen }).map({ ($0.key, $0.value) }),
                      now >= oldest.lastSeen + 3000 {
                #expect(entry.slot == slot)
                #expect(entry.event == .replaced(flow(oldest.port)))
                model[slot] = (port, now, fromServer)
                evicted += 1
            } else {
                #expect(entry == .init(slot: capacity, direction: fromServer ? .s2c : .c2s, event: .overflow))
                overflow += 1
            }
            #expect(table.count == model.count)
        }
        #expect(table.overflowCount == overflow)
        #expect(table.evictedCount == evicted)
        #expect(overflow > 0 && evicted > 0)
    }
}
