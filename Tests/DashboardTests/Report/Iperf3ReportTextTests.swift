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
        // Columns without a figure in any row (no --bidir roles, no UDP loss) are left out; bytes
        // read from iperf3's text ("552 MBytes") keep the digits iperf3 printed, marked estimated.
        let text = Iperf3ReportText.text(try report("tcp-p2.txt"), run: .init(name: "iperf3 log tcp-p2.txt"), width: 200)
        expectSnapshot(text, """
            iperf3 log tcp-p2.txt · 2.00 s
            stream  local → remote                        bytes       mean        min        max  tcp retr
            5       127.0.0.1:47606 → 127.0.0.1:52257   ~579 MB  2.32 Gb/s  2.15 Gb/s  2.49 Gb/s         3
            7       127.0.0.1:47610 → 127.0.0.1:52257   ~578 MB  2.32 Gb/s  2.15 Gb/s  2.48 Gb/s         2
            SUM                                        ~1.16 GB  4.63 Gb/s  4.29 Gb/s  4.96 Gb/s         5
            ~ estimated: iperf3's text output rounds to 3 digits (its --json gives exact bytes)

            """)
    }

    @Test func jsonBytesAreExactAndTextBytesSayTheyAreNot() throws {
        for (name, bytes, exact) in [("tcp-p2.txt", 578_813_952, false), ("json-p2.json", nil, true)] {
            let json = Iperf3ReportText.json(try report(name))
            let doc = try JSONSerialization.jsonObject(with: Data(json.utf8)) as! [String: Any]
            let streams = (doc["tests"] as! [[String: Any]])[0]["streams"] as! [[String: Any]]
            #expect(streams.allSatisfy { $0["bytes_exact"] as? Bool == exact }, "\(name)")
            if let bytes { #expect(streams[0]["bytes"] as? Int == bytes) }  // 552 MBytes as iperf3 printed it
        }
    }

    @Test func aNamedStartTimeAndEveryLineWithinTheWidth() throws {
        let text = Iperf3ReportText.text(try report("json-bidir.json"), run: .init(name: "iperf3 -c 127.0.0.1 -P 2 --bidir", started: "x"),
                                         width: 60)
        #expect(text.split(separator: "\n").allSatisfy { $0.count <= 60 }, "\(text)")
        expectSnapshot(text, """
            iperf3 -c 127.0.0.1 -P 2 --bidir · started Wed, 25 Nov 2026
            16:19:04 GMT · 2.00 s
            stream  role       bytes       mean        max  tcp retr
            5       TX-C   827064320  3.31 Gb/s  3.35 Gb/s        15
            7       RX-C  1339555840  5.35 Gb/s  5.60 Gb/s         2
            SUM     TX-C   827064320  3.31 Gb/s  3.35 Gb/s        15
            SUM     RX-C  1339555840  5.35 Gb/s  5.60 Gb/s         2
            left out to fit 60 columns: local → remote, min

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
        let text = Iperf3ReportText.text(try report("server-two-tests.txt"), run: .init(name: "iperf3 -s"), width: 120)
        #expect(text.split(separator: "\n").filter { $0.hasPrefix("test ") } == ["test 1 (server) · 2.01 s", "test 2 (server) · 2.00 s"])
    }
}
