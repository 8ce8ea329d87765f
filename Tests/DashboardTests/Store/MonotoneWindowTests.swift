@testable import Dashboard
import SeededRandom
import Telemetry
import Testing

/// A window whose slots are all present, whole and non-decreasing has its increase read as
/// last minus first, and one whose slots all hold one value as zero without reading them;
/// every other window is walked pair by pair. All must give exactly the figure of the walk,
/// over random counters with gaps, resets, restarts, fractions and long still stretches.
@Suite struct MonotoneWindowTests {
    @Test(arguments: 1...40)
    func windowFiguresEqualTheWalk(seed: UInt64) {
        var random = SeededGenerator(seed: seed)
        var store = TimeSeriesStore(capacity: 30)
        var value = 0.0
        var start = 100.0
        var texts: [String?] = []
        for step in 0..<60 {
            switch Int.random(in: 0..<50, using: &random) {
            case 0: texts.append(nil)  // a failed scrape
            case 1: texts.append("# TYPE x counter\n")  // a scrape without the series
            case 2: value = Double(Int.random(in: 0..<5, using: &random))  // a reset
            case 3: start += 1  // an agent restart
            case 4: value += 0.25  // a fraction
            case 5..<20: break  // standing still
            default: value += Double(Int.random(in: 0..<3, using: &random)) * Double(Int.random(in: 0..<1_000_000, using: &random))
            }
            if texts.count == step {
                texts.append("# TYPE x counter\nx \(value)\n# TYPE h histogram\nh_bucket{le=\"+Inf\"} \(value)\n"
                    + "# TYPE bpagent_start_time_seconds gauge\nbpagent_start_time_seconds \(start)\n")
            }
            let time = Double(step) + (step % 7 == 0 ? 0.5 : 0)
            if let text = texts[step] {
                store.ingest(source: "a", exposition: PrometheusTextParser.parse(text.utf8), at: time)
            } else {
                store.recordFailure(source: "a", at: time)
            }
            for slots in [1, 2, 5, 10, 29] {
                let history = store.sources["a"]!
                let times = history.times.suffix(slots + 1), epochs = history.epochs.suffix(slots + 1)
                let window = history.series.first.map { $0.values.window(slots + 1) }
                let walked = window.flatMap { CounterMath.windowIncrease($0, times: times, epochs: epochs) }
                let rate = store.evaluate(Query(metric: "x", rate: true), slots: slots, perSlot: false).first?.window
                let expected = walked.flatMap { $0.seconds > 0 ? $0.increase / $0.seconds : nil }
                #expect(rate == expected, "seed \(seed) step \(step) slots \(slots)")
                let increase = store.histogram(Query(metric: "h"), slots: slots, perSlot: false).first?.buckets.first?.increases.window
                #expect(increase == walked?.increase, "seed \(seed) step \(step) slots \(slots)")
            }
        }
    }

    @Test func aSteadyCounterTakesTheShortcutAndAResetDoesNot() {
        var store = TimeSeriesStore(capacity: 10)
        for (t, v) in [10, 20, 30, 40, 5, 15, 25, 35].enumerated() {
            store.ingest(source: "a", exposition: PrometheusTextParser.parse("# TYPE x counter\nx \(v)\n".utf8), at: Double(t))
        }
        // Slots 4…7 (5, 15, 25, 35) rise steadily; slot 4 itself fell from 40.
        #expect(store.sources["a"]!.series[0].lastBreak == 4)
        #expect(store.evaluate(Query(metric: "x", rate: true), slots: 2, perSlot: false).first?.window == 10)
        // Across the reset: 10 + 10 + 5 (from zero) + 10 + 10 over 5 s.
        #expect(store.evaluate(Query(metric: "x", rate: true), slots: 5, perSlot: false).first?.window == 9)
    }
}
