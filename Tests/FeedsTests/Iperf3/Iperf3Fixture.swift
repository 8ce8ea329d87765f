import Foundation
import Testing
@testable import Feeds

/// The recorded iperf3 outputs in ../Fixtures/iperf3 (made by Scripts/record-iperf3-fixtures),
/// read by path because FeedsTests declares no resources.
enum Iperf3Fixture {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/iperf3")

    static let names = try! FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()

    static func bytes(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: directory.appendingPathComponent(name)))
    }

    static func report(_ name: String) throws -> Iperf3Report {
        Iperf3Parser.parse(try bytes(name))
    }

    /// The one test of a fixture that must read in `format` without skipping a line.
    static func onlyTest(_ name: String, format: Iperf3Report.Format) throws -> Iperf3Test {
        let report = try report(name)
        #expect(report.format == format)
        #expect(report.skippedLines == 0)
        #expect(report.tests.count == 1)
        return try #require(report.tests.first)
    }
}

extension Iperf3Interval {
    /// One line per measurement, so a test states every value of a fixture as a readable table:
    /// stream[role] start-end bytes bits/s, then only the fields that are set.
    var row: String {
        var row = "\(stream.map(String.init) ?? "SUM")\(role.map { "[\($0.rawValue)]" } ?? "") \(start)-\(end) \(bytes) \(Int64(bitsPerSecond.rounded()))"
        if let retransmits { row += " retr=\(retransmits)" }
        if let cwnd { row += " cwnd=\(cwnd)" }
        if let jitterMs { row += " jitter=\(jitterMs)" }
        if let lostDatagrams { row += " lost=\(lostDatagrams)" }
        if let datagrams { row += " datagrams=\(datagrams)" }
        if let outOfOrder { row += " ooo=\(outOfOrder)" }
        if omitted { row += " omitted" }
        if let side { row += " \(side)" }
        return row
    }
}

extension Iperf3Connection {
    /// "5 127.0.0.1:47606 > 127.0.0.1:52257"
    var row: String { "\(stream) \(local.host):\(local.port) > \(remote.host):\(remote.port)" }
}
