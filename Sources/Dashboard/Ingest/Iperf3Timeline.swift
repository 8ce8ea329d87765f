import Feeds
import Telemetry

/// Turns iperf3's intervals into slots of the store's `iperf3` source, one slot per
/// reporting interval, so iperf3's throughput is charted and queried like any scrape:
/// `iperf3_bytes_total{stream, role, dir, local, remote}` (cumulative bytes of the stream
/// in the current test) and `iperf3_retransmits_total` (TCP senders).
///
/// A slot is stamped with iperf3's own interval end, placed on the wall clock so that the
/// newest interval of the first batch read ends at the time it was read; rates are iperf3's
/// per-interval figures even when a whole log is read at once. An interval becomes a slot once
/// all its stream lines are in: when a stream reports again (the next interval), when the test
/// ends, or when every connected stream has reported.
struct Iperf3Timeline: Sendable {
    static let bytesMetric = "iperf3_bytes_total"
    static let retransmitsMetric = "iperf3_retransmits_total"

    private struct StreamKey: Hashable {
        let stream: Int
        let role: Iperf3Role?
    }

    private var testIndex = 0
    /// Intervals of `tests[testIndex]` already turned into slots.
    private var consumed = 0
    private var anchor: Double?
    private var lastTime = -Double.infinity
    private var bytes: [StreamKey: Double] = [:]
    private var retransmits: [StreamKey: Double] = [:]

    /// The slots (exposition and time) that the report's new complete intervals make.
    mutating func advance(_ report: Iperf3Report, now: Double) -> [(ParsedExposition, Double)] {
        var slots: [(ParsedExposition, Double)] = []
        while testIndex < report.tests.count {
            let test = report.tests[testIndex]
            let ended = test.finished || !test.summary.isEmpty || test.error != nil || testIndex < report.tests.count - 1
            let intervals = test.intervals
            var i = consumed
            var ticks: [ArraySlice<Iperf3Interval>] = []
            while i < intervals.count {
                // One interval's lines: until a stream reports a second time (ends differ by
                // microseconds between streams in JSON, so they cannot be compared).
                var j = i
                var seen = Set<StreamKey>()
                while j < intervals.count {
                    if let stream = intervals[j].stream, !seen.insert(StreamKey(stream: stream, role: intervals[j].role)).inserted { break }
                    j += 1
                }
                let streamLines = seen.count
                let complete = j < intervals.count || ended || (!test.connections.isEmpty && streamLines >= test.connections.count)
                guard complete else { break }
                // A `[SUM]` line after its streams' slot was made adds nothing new.
                if streamLines > 0 { ticks.append(intervals[i..<j]) }
                i = j
            }
            // The newest interval of what arrived at once ends now: a log read with its history
            // is laid out up to the present, a live one follows the clock.
            if anchor == nil, let last = ticks.last?.first(where: { $0.stream != nil }) { anchor = now - last.end }
            slots += ticks.map { slot($0, test: test) }
            consumed = i
            guard ended && consumed == intervals.count else { break }
            testIndex += 1
            consumed = 0
            anchor = nil
            bytes = [:]
            retransmits = [:]
        }
        return slots
    }

    /// The report forgot its `count` oldest tests (all of them already turned into slots).
    mutating func forget(_ count: Int) {
        testIndex -= min(count, testIndex)
    }

    private mutating func slot(_ tick: ArraySlice<Iperf3Interval>, test: Iperf3Test) -> (ParsedExposition, Double) {
        let end = tick.first { $0.stream != nil }!.end
        let time = max(anchor! + end, lastTime + 0.001)
        lastTime = time
        var exposition = ParsedExposition()
        exposition.families[Self.bytesMetric] = MetricFamily(name: Self.bytesMetric, type: .counter)
        exposition.families[Self.retransmitsMetric] = MetricFamily(name: Self.retransmitsMetric, type: .counter)
        for interval in tick {
            guard let stream = interval.stream else { continue }
            let key = StreamKey(stream: stream, role: interval.role)
            bytes[key, default: 0] += Double(interval.bytes)
            if let r = interval.retransmits { retransmits[key, default: 0] += Double(r) }
            let connection = test.connections.first { $0.stream == stream }
            var labels = [PrometheusSample.Label("stream", String(stream)),
                          .init("dir", test.direction(of: interval.role))]
            if let role = interval.role { labels.append(.init("role", role.rawValue)) }
            if let connection {
                labels += [.init("local", connection.local.address), .init("remote", connection.remote.address)]
            }
            exposition.samples.append(PrometheusSample(name: Self.bytesMetric, labels: labels, value: bytes[key]!))
            if let total = retransmits[key] {
                exposition.samples.append(PrometheusSample(name: Self.retransmitsMetric, labels: labels, value: total))
            }
        }
        return (exposition, time)
    }
}
