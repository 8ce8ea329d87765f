import Testing
@testable import Feeds

/// A pipe or a followed log hands the parser arbitrary pieces, lines cut anywhere (even inside a
/// UTF-8 sequence or between CR and LF): every fixture must read the same in pieces as whole.
@Suite struct Iperf3ChunkingTests {
    @Test(arguments: Iperf3Fixture.names, [1, 2, 3])
    func randomChunks(fixture: String, seed: UInt64) throws {
        let bytes = try Iperf3Fixture.bytes(fixture)
        var state = seed  // xorshift64: a fixed, portable sequence of chunk sizes
        var parser = Iperf3Parser()
        var at = 0
        while at < bytes.count {
            state ^= state << 13; state ^= state >> 7; state ^= state << 17
            let size = Int(state % 200) + 1
            parser.feed(bytes[at..<min(at + size, bytes.count)])
            at += size
        }
        parser.finish()
        #expect(parser.report == Iperf3Parser.parse(bytes))
    }

    @Test func oneByteAtATime() throws {
        let bytes = try Iperf3Fixture.bytes("bidir-p2.txt")
        var parser = Iperf3Parser()
        for b in bytes { parser.feed([b]) }
        parser.finish()
        #expect(parser.report == Iperf3Parser.parse(bytes))
    }

    /// A live view must not read a line before its newline: the half line waits.
    @Test func partialLineWaits() {
        var parser = Iperf3Parser()
        parser.feed(Array("[  5]   0.00-1.00   sec   256 MBytes  2.15 Gbit".utf8))
        #expect(parser.report.tests.isEmpty && parser.report.skippedLines == 0)
        parser.feed(Array("s/sec    0   1.37 MBytes       \n".utf8))
        #expect(parser.report.tests.first?.intervals.map(\.row) == ["5 0.0-1.0 268435456 2150000000 retr=0 cwnd=1436549"])
    }
}
