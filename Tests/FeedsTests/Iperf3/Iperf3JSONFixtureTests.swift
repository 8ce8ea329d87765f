import Testing
@testable import Feeds

/// Every value of the recorded `--json` documents (iperf3 3.12) and of the same runs framed as
/// 3.17's `--json-stream`: byte counts are exact.
@Suite struct Iperf3JSONFixtureTests {
    @Test func tcpParallel() throws {
        let test = try Iperf3Fixture.onlyTest("json-p2.json", format: .json)
        #expect(test.connections.map(\.row) == ["5 127.0.0.1:45678 > 127.0.0.1:52257", "7 127.0.0.1:45686 > 127.0.0.1:52257"])
        #expect(test.version == "iperf 3.12" && test.startTime == "Wed, 25 Nov 2026 16:19:02 GMT")
        #expect(test.side == .client && test.protocolName == "TCP" && test.parallel == 2 && test.duration == 2)
        #expect(test.omitSeconds == 0 && !test.reverse && !test.bidir && test.finished && test.error == nil)
        #expect(test.intervals.map(\.row) == [
            "5 0.0-1.000097 319815680 2558277194 retr=7 cwnd=1047728",
            "7 0.0-1.000103 314572800 2516323227 retr=10 cwnd=1047728",
            "SUM 0.0-1.000097 634388480 5074615418 retr=17",
            "5 1.000097-2.000836 415498240 3321531380 retr=6 cwnd=1833524",
            "7 1.000103-2.000852 407633920 3258630672 retr=7 cwnd=2095456",
            "SUM 1.000097-2.000836 823132160 6580194658 retr=13",
        ])
        #expect(test.summary.map(\.row) == [
            "5 0.0-2.000836 735313920 2940026749 retr=13 sender",
            "5 0.0-2.009296 734920704 2926082385 receiver",
            "7 0.0-2.000836 722206720 2887619855 retr=17 sender",
            "7 0.0-2.009296 721813504 2873896147 receiver",
            "SUM 0.0-2.000836 1457520640 5827646604 retr=30 sender",
            "SUM 0.0-2.009296 1456734208 5799978532 receiver",
        ])
    }

    @Test func bidir() throws {
        let test = try Iperf3Fixture.onlyTest("json-bidir.json", format: .json)
        #expect(test.connections.map(\.row) == ["5 127.0.0.1:45704 > 127.0.0.1:52257", "7 127.0.0.1:45712 > 127.0.0.1:52257"])
        #expect(test.bidir && test.parallel == 1)
        #expect(test.intervals.map(\.row) == [
            "5[TX-C] 0.0-1.000153 407633920 3260572670 retr=6 cwnd=1571592",
            "7[RX-C] 0.0-1.00016 699924480 5598500198",
            "SUM[TX-C] 0.0-1.000153 407633920 3260572670 retr=6",
            "SUM[RX-C] 0.0-1.000153 699924480 5598539568",
            "5[TX-C] 1.000153-2.000317 419430400 3354892890 retr=9 cwnd=1571592",
            "7[RX-C] 1.00016-2.000378 638320640 5105451959",
            "SUM[TX-C] 1.000153-2.000317 419430400 3354892890 retr=9",
            "SUM[RX-C] 1.000153-2.000317 638320640 5105727617",
        ])
        #expect(test.summary.map(\.row) == [
            "5[TX-C] 0.0-2.000317 827064320 3307733004 retr=15 sender",
            "5[TX-C] 0.0-2.009393 823263232 3277659401 receiver",
            "7[RX-C] 0.0-2.000317 1339555840 5357374216 retr=2 sender",
            "7[RX-C] 0.0-2.009393 1338245120 5327957727 receiver",
            "SUM[TX-C] 0.0-2.000317 827064320 3307733004 retr=15 sender",
            "SUM[TX-C] 0.0-2.009393 823263232 3277659401 receiver",
            "SUM[RX-C] 0.0-2.000317 1339555840 5357374216 retr=2 sender",
            "SUM[RX-C] 0.0-2.009393 1338245120 5327957727 receiver",
        ])
    }

    @Test func udp() throws {
        let test = try Iperf3Fixture.onlyTest("json-udp.json", format: .json)
        #expect(test.connections.map(\.row) == ["5 127.0.0.1:55761 > 127.0.0.1:52257"])
        #expect(test.protocolName == "UDP")
        #expect(test.intervals.map(\.row) == [
            "5 0.0-1.000092 1277952 10222675 datagrams=39",
            "SUM 0.0-1.000092 1277952 10222675 datagrams=39",
            "5 1.000092-2.000109 1245184 9961302 datagrams=38",
            "SUM 1.000092-2.000109 1245184 9961302 datagrams=38",
        ])
        #expect(test.summary.map(\.row) == [
            "5 0.0-2.000109 2523136 10091994 jitter=0.01936432721534574 lost=0 datagrams=77 ooo=0",
            "SUM 0.0-2.000109 2523136 10091994 jitter=0.0 lost=0 datagrams=77 sender",
            "SUM 0.0-2.0009 2523136 10088004 jitter=0.01936432721534574 lost=0 datagrams=77 receiver",
            "SUM 0.0-2.0009 2523136 10091994 jitter=0.01936432721534574 lost=0 datagrams=77",
        ])
    }
}

extension Iperf3JSONFixtureTests {
    /// The json-stream fixtures carry the same runs event by event, so they read to the same tests.
    @Test(arguments: [("json-stream-p2.jsonl", "json-p2.json"), ("json-stream-bidir.jsonl", "json-bidir.json")])
    func streamMatchesDocument(stream: String, document: String) throws {
        let streamed = try Iperf3Fixture.onlyTest(stream, format: .jsonStream)
        #expect(streamed == (try Iperf3Fixture.onlyTest(document, format: .json)))
    }

    /// `--json-stream-full` (3.20+) ends the events with the whole document, which repeats them.
    @Test func streamFollowedByFullDocument() throws {
        let report = Iperf3Parser.parse(try Iperf3Fixture.bytes("json-stream-p2.jsonl") + Iperf3Fixture.bytes("json-p2.json"))
        #expect(report.format == .jsonStream && report.skippedLines == 0)
        #expect(report.tests == [try Iperf3Fixture.onlyTest("json-p2.json", format: .json)])
    }

    /// A server log of `--json` documents: the first cut off mid-line with a garbage line after
    /// it (42 lines skipped), then json-bidir.json whole; CRLF line ends throughout.
    @Test func damagedDocuments() throws {
        let report = try Iperf3Fixture.report("json-damaged.json")
        #expect(report.format == .json)
        #expect(report.skippedLines == 42)
        #expect(report.tests == (try Iperf3Fixture.report("json-bidir.json")).tests)
    }

    /// json-stream-p2.jsonl with CRLF, a garbage line after the start event and the second
    /// interval event cut in half: two lines skipped, the end still read.
    @Test func damagedStream() throws {
        let report = try Iperf3Fixture.report("json-stream-damaged.jsonl")
        #expect(report.format == .jsonStream)
        #expect(report.skippedLines == 2)
        let test = try #require(report.tests.first)
        let whole = try Iperf3Fixture.onlyTest("json-p2.json", format: .json)
        #expect(test.intervals == Array(whole.intervals.prefix(3)))
        #expect(test.summary == whole.summary)
        #expect(test.finished)
    }
}
