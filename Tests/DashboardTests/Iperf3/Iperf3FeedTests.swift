import Foundation
import Testing
import Feeds
import Telemetry
@testable import Dashboard

/// iperf3 output fed to bptop's collected data: slots in the store, the join, the panel.
@Suite struct Iperf3FeedTests {
    static func fixture(_ name: String) throws -> [UInt8] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../FeedsTests/Fixtures/iperf3/\(name)")
        return Array(try Data(contentsOf: url))
    }

    @Test func intervalsBecomeSlotsWithIperf3sOwnRates() throws {
        var data = CollectedData(names: [], capacity: 10, iperf3: true)
        let bytes = try Self.fixture("tcp-p2.txt")
        // Fed in 7-byte pieces: a tick becomes a slot only once all its stream lines are in.
        for start in stride(from: 0, to: bytes.count, by: 7) {
            data.ingest(iperf3: .bytes(Array(bytes[start..<min(start + 7, bytes.count)])), at: 1000)
        }
        let results = data.store.evaluate(Query(metric: "iperf3_bytes_total"), slots: 3)
        #expect(results.map { $0[label: "stream"] } == ["5", "7"])
        #expect(results[0].labels.contains(.init("local", "127.0.0.1:47606")))
        #expect(results[0].labels.contains(.init("dir", "c2s")))
        // 256 MBytes then 296 MBytes, as iperf3 printed them.
        // Then a gap: the run ended, so it has no "now" rate.
        #expect(results[0].values == [256 * 1_048_576, (256 + 296) * 1_048_576, nil])
        let rate = data.store.evaluate(Query(metric: "iperf3_bytes_total", rate: true, sumBy: ["stream"]), slots: 3)
        #expect(rate[0].values.dropLast().last == 296.0 * 1_048_576 && rate[0].current == nil)
        // Read at once at t=1000: the first interval ends then, the second a second later, by iperf3's clock.
        #expect(data.store.sources["iperf3"]!.times.suffix(3) == [1000, 1001, 1001.001])
    }

    @Test func anUnfinishedTickWaitsForItsLastStreamLine() throws {
        var data = CollectedData(names: [], capacity: 10, iperf3: true)
        let text = String(decoding: try Self.fixture("tcp-p2.txt"), as: UTF8.self)
        let upToFirstStream = text.components(separatedBy: "[  7]   0.00-1.00")[0]
        data.ingest(iperf3: .bytes(Array(upToFirstStream.utf8)), at: 50)
        #expect(data.store.evaluate(Query(metric: "iperf3_bytes_total"), slots: 1).isEmpty)
        data.ingest(iperf3: .bytes(Array("[  7]   0.00-1.00   sec   256 MBytes  2.15 Gbits/sec    2   2.25 MBytes\n".utf8)), at: 51)
        #expect(data.store.evaluate(Query(metric: "iperf3_bytes_total"), slots: 1).count == 2)
    }

    @Test func aLogReadWholeEndsNow() throws {
        var data = CollectedData(names: [], capacity: 10, iperf3: true)
        data.ingest(iperf3: .bytes(try Self.fixture("tcp-p2.txt")), at: 1000)
        #expect(data.store.sources["iperf3"]!.times.suffix(3) == [999, 1000, 1000.001])
        #expect(data.iperf3!.runEnded)
    }

    @Test func aTruncatedLogStartsANewTestAndCountsRestart() throws {
        var data = CollectedData(names: [], capacity: 10, iperf3: true)
        let log = try Self.fixture("tcp-p2.txt")
        data.ingest(iperf3: .bytes(Array(log.prefix(200))), at: 10)
        data.ingest(iperf3: .truncated, at: 11)
        data.ingest(iperf3: .bytes(log), at: 20)
        let tests = data.iperf3!.report.tests
        #expect(tests.count == 2)
        #expect(tests.last!.summary.count == 6)
        #expect(data.iperf3!.report.skippedLines == 0)
    }

    @Test func jsonStreamIntervalsArriveLiveWithTheirDirections() throws {
        var data = CollectedData(names: [], capacity: 10, iperf3: true)
        let lines = try Self.fixture("json-stream-bidir.jsonl").split(separator: 0x0A, omittingEmptySubsequences: false)
        var slots: [Int] = []
        for (i, line) in lines.enumerated() {
            data.ingest(iperf3: .bytes(Array(line) + [0x0A]), at: Double(100 + i))
            slots.append(data.store.sources["iperf3"]?.times.count ?? 0)
        }
        // One slot per interval event, made as soon as the event's line is in; a gap at the end.
        #expect(slots.max() == 3 && slots.firstIndex(of: 1) == lines.firstIndex { $0.starts(with: Array(#"{"event":"interval""#.utf8)) })
        let results = data.store.evaluate(Query(metric: "iperf3_bytes_total"), slots: 1)
        #expect(results.map { "\($0[label: "stream"]!) \($0[label: "role"]!) \($0[label: "dir"]!)" } == ["5 TX-C c2s", "7 RX-C s2c"])
    }

    @Test func aServerLogFollowedForLongKeepsOnlyTheNewestTests() throws {
        var data = CollectedData(names: [], capacity: 100, iperf3: true)
        let log = try Self.fixture("server-two-tests.txt")
        for round in 0..<5 { data.ingest(iperf3: .bytes(log), at: Double(100 * (round + 1))) }
        #expect(data.iperf3!.report.tests.count == Iperf3Feed.testsKept)
        // Every interval of every test still became a slot, five copies of the log's, and one
        // gap when the first read showed a finished run (later copies arrive already finished).
        let intervals = Iperf3Parser.parse(log).tests.map { Set($0.intervals.map(\.end)).count }.reduce(0, +)
        #expect(intervals > 0 && data.store.sources["iperf3"]!.times.count == 5 * intervals + 1)
    }
}
