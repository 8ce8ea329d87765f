import Foundation
import Testing
import Feeds
import Telemetry
@testable import Dashboard

/// Every JSON bptop prints parses, whatever the label values and source names hold: quotes,
/// backslashes, control characters, invalid UTF-8, wide and right-to-left text.
@Suite struct JSONParsesTests {
    /// Label values as Prometheus text escapes them, plus raw bytes that are not UTF-8.
    static let hostile: [[UInt8]] = [
        Array(#"a\"b"#.utf8), Array(#"back\\slash"#.utf8), Array(#"new\nline"#.utf8), [0x61, 0x09, 0x62, 0x01, 0x7F],
        [0xC3, 0x28, 0xFF, 0xFE], Array("东京 🚀 שלום \u{202E}x".utf8), Array(#"}]{"#.utf8), [],
    ]

    /// Seeded variations: the hostile pieces glued in random orders.
    static func fuzzed(_ count: Int) -> [[UInt8]] {
        var rng = SystemRandomNumberGenerator.Seeded(seed: 42)
        return (0..<count).map { _ in (0..<3).flatMap { _ in hostile[Int(rng.next() % UInt64(hostile.count))] } }
    }

    private func agentScrape(_ values: [[UInt8]]) -> [UInt8] {
        var text: [UInt8] = []
        for (i, value) in values.enumerated() {
            let labels: [UInt8] = Array("stream=\"\(i)\",proto=\"tcp\",local=\"".utf8) + value + Array("\",peer=\"".utf8) + value
                + Array("\",state=\"".utf8) + value + Array("\"".utf8)
            text += Array("bpagent_stream_info{".utf8) + labels + Array("} 1\n".utf8)
            text += Array("bpagent_bytes_total{stream=\"\(i)\",dir=\"c2s\"} \(i * 1000)\n".utf8)
            text += Array("bpagent_stall_max_seconds{stream=\"\(i)\",dir=\"c2s\"} NaN\n".utf8)
        }
        return text
    }

    @Test func onceJSONParsesWithHostileLabels() throws {
        var data = CollectedData(names: ["a\"b\\c\u{1}.sock"], capacity: 4)
        let values = Self.hostile + Self.fuzzed(40)
        data.ingest(source: 0, body: agentScrape(values), at: 1)
        data.ingest(source: 0, body: agentScrape(values), at: 2)
        for name in ["backpressure", "prometheus-generic"] {
            let definition = try DashboardResolver.load(name, executablePath: "/nonexistent/bptop")
            let json = OnceReport.json(definition: definition, store: data.store,
                                       sources: [.init(source: "unix:/tmp/q\"x/a\"b.sock", name: data.sources[0].name, error: "bad \u{1} \"")],
                                       time: 2, intervalSeconds: 1)
            let doc = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
            let rows = try #require(doc["streams"] as? [[String: Any]])
            // backpressure: one row per stream (c2s only here); prometheus-generic: its top 20 counters.
            #expect(rows.count == (name == "backpressure" ? values.count : 20), "\(name)")
        }
    }

    @Test func reportJSONParsesWithAHostileSourceName() throws {
        var data = CollectedData(names: ["a\"b.sock"], capacity: 4)
        data.ingest(source: 0, body: Array(Iperf3SummaryWithAgentTests.agentText.utf8), at: 1)
        data.ingest(source: 0, body: Array(Iperf3SummaryWithAgentTests.agentText.utf8), at: 2)
        let report = Iperf3Parser.parse(try Iperf3FeedTests.fixture("tcp-p2.txt"))
        let json = Iperf3ReportText.json(report, agent: data.store)
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let streams = try #require((doc["tests"] as? [[String: Any]])?.first?["streams"] as? [[String: Any]])
        let agent = try #require(streams.first?["agent"] as? [String: Any])
        #expect(agent["instance"] as? String == "a\"b.sock")
    }

    @Test func nodesEscapeAndNumbersStayJSON() throws {
        let node = JSONNode.object([("k\"\\\n\u{1}", .string("v\u{7F}\t东")), ("nan", .number(.nan)), ("inf", .number(-.infinity)),
                                    ("big", .number(1e300)), ("whole", .number(1_234_567)), ("list", .array([.null, true]))])
        let text = node.text()
        #expect(text == #"{"k\"\\\n\u0001": "v\#u{7F}\t东", "nan": null, "inf": null, "big": 1e+300, "whole": 1234567, "list": [null, true]}"# + "\n")
        #expect(try JSONSerialization.jsonObject(with: Data(text.utf8)) is [String: Any])
    }
}

extension SystemRandomNumberGenerator {
    /// A small deterministic generator (xorshift), so fuzzed cases are the same on every run.
    struct Seeded: RandomNumberGenerator {
        var state: UInt64
        init(seed: UInt64) { state = seed | 1 }
        mutating func next() -> UInt64 {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return state
        }
    }
}
