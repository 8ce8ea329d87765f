import Testing
@testable import Feeds

/// Output that never ends a line or a document costs bounded memory: what is too long is
/// dropped and counted as skipped, and reading goes on with the next line.
@Suite struct Iperf3BoundsTests {
    private static let interval = Array("[  5]   0.00-1.00   sec   256 MBytes  2.15 Gbits/sec    0   1.37 MBytes       \n".utf8)

    @Test func endlessLineIsDroppedAndCounted() {
        var parser = Iperf3Parser()
        parser.feed(Self.interval)
        let piece = [UInt8](repeating: UInt8(ascii: "x"), count: 100_000)
        for _ in 0..<30 { parser.feed(piece) }  // 3 MB without a newline
        #expect(parser.bufferedBytes <= Iperf3Parser.maxLineBytes)
        parser.feed([0x0A] + Self.interval)
        parser.finish()
        #expect(parser.report.skippedLines == 1)
        #expect(parser.report.tests.first?.intervals.count == 2)
    }

    @Test func longLineInOneChunkIsSkipped() {
        let line = [UInt8](repeating: UInt8(ascii: "y"), count: Iperf3Parser.maxLineBytes + 1) + [0x0A]
        let report = Iperf3Parser.parse(Self.interval + line + Self.interval)
        #expect(report.skippedLines == 1)
        #expect(report.tests.first?.intervals.count == 2)
    }

    /// Found by the fuzzer: a 260 KB text line of repeated `[SUM]` columns took 0.4 s to split
    /// into words. No iperf3 text line is that long: one past `maxLineBytes` is skipped unread,
    /// even an interval padded with blanks.
    @Test func longTextLineIsSkippedUnread() {
        let padded = Array(Self.interval.dropLast()) + [UInt8](repeating: 0x20, count: Iperf3TextReader.maxLineBytes) + [0x0A]
        let report = Iperf3Parser.parse(Self.interval + padded + Self.interval)
        #expect(report.skippedLines == 1)
        #expect(report.tests.first?.intervals.count == 2)
    }

    /// A `--json` document that never closes is given up at the limit, its lines counted.
    @Test func endlessJSONDocumentIsGivenUp() throws {
        let limit = 100_000
        var parser = Iperf3Parser(maxDocumentBytes: limit)
        parser.feed(Array("{\n\t\"intervals\": [\n".utf8))
        let line = Array("\t\t{\"sum\": {\"bytes\": 1}},\n".utf8)
        let lines = limit / line.count + 10
        for _ in 0..<lines {
            parser.feed(line)
            #expect(parser.bufferedBytes <= limit + line.count)
        }
        // Its nested objects after the limit are not taken for documents of their own.
        parser.feed(Array("\t\t{\"sum\": {\n\t\t\t\"bytes\": 1}},\n\t]\n}\n".utf8))
        parser.finish()
        #expect(parser.report.skippedLines == lines + 2 + 4)
        #expect(parser.report.tests.isEmpty)
        // The next document is read again.
        let next = try Iperf3Fixture.bytes("json-p2.json")
        parser.feed(next)
        parser.finish()
        #expect(parser.report.tests.count == 1)
        #expect(parser.report.skippedLines == lines + 2 + 4)
    }
}
