import Foundation
import Testing
import Feeds
@testable import Dashboard

/// `bptop report` on iperf3 output recorded by Scripts/record-iperf3-fixtures.
@Suite struct Iperf3ReportTextTests {
    private func report(_ name: String) throws -> Iperf3Report {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../FeedsTests/Fixtures/iperf3/\(name)")
        return Iperf3Parser.parse(Array(try Data(contentsOf: url)))
    }

    @Test func textOfAParallelTCPRun() throws {
        let text = Iperf3ReportText.text(try report("tcp-p2.txt"))
        #expect(text == """
            stream  role  local → remote                           bytes       mean        min        max  retr  lost/total
            5             127.0.0.1:47606 → 127.0.0.1:52257   ~578813952  2.32 Gb/s  2.15 Gb/s  2.49 Gb/s     3
            7             127.0.0.1:47610 → 127.0.0.1:52257   ~577765376  2.32 Gb/s  2.15 Gb/s  2.48 Gb/s     2
            SUM                                              ~1159641170  4.63 Gb/s  4.29 Gb/s  4.96 Gb/s     5

            """)
    }

    @Test func bidirSumsAreSplitByDirection() throws {
        let rows = try report("json-stream-bidir.jsonl").tests[0].streamSummaries(exactBytes: true)
        #expect(rows.map(\.stream) == [5, 7, nil, nil])
        #expect(rows.map(\.role) == [.txClient, .rxClient, .txClient, .rxClient])
        #expect(rows.map(\.bytes) == [827_064_320, 1_339_555_840, 827_064_320, 1_339_555_840])
        #expect(rows.map(\.retransmits) == [15, 2, 15, 2])
        #expect(rows.allSatisfy { $0.bytesExact })
    }

    @Test func udpLossAndExactJSONBytes() throws {
        let json = Iperf3ReportText.json(try report("json-udp.json"))
        let doc = try JSONSerialization.jsonObject(with: Data(json.utf8)) as! [String: Any]
        let streams = (doc["tests"] as! [[String: Any]])[0]["streams"] as! [[String: Any]]
        #expect(streams.count == 2)
        #expect(streams[0]["stream"] as? Int == 5 && streams[0]["sum"] as? Bool == false)
        #expect(streams[0]["bytes"] as? Int == 2_523_136 && streams[0]["bytes_exact"] as? Bool == true)
        #expect(streams[0]["lost_datagrams"] as? Int == 0 && streams[0]["datagrams"] as? Int == 77)
        #expect(streams[1]["stream"] is NSNull && streams[1]["sum"] as? Bool == true)
    }

    @Test func aServerLogListsEachTestThatMeasuredSomething() throws {
        let text = Iperf3ReportText.text(try report("server-two-tests.txt"))
        #expect(text.split(separator: "\n").filter { $0.hasPrefix("test ") } == ["test 1 (server)", "test 2 (server)"])
    }
}
