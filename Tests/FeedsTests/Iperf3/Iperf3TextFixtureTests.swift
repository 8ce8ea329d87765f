import Testing
@testable import Feeds

/// Every value of the recorded text fixtures (iperf3 3.12), per stream and [SUM].
@Suite struct Iperf3TextFixtureTests {
    @Test func tcpParallel() throws {
        let test = try Iperf3Fixture.onlyTest("tcp-p2.txt", format: .text)
        #expect(test.connections.map(\.row) == ["5 127.0.0.1:47606 > 127.0.0.1:52257", "7 127.0.0.1:47610 > 127.0.0.1:52257"])
        #expect(test.side == .client && test.protocolName == "TCP" && !test.reverse && !test.bidir && test.finished)
        #expect(test.intervals.map(\.row) == [
            "5 0.0-1.0 268435456 2150000000 retr=0 cwnd=1436549",
            "7 0.0-1.0 268435456 2150000000 retr=2 cwnd=2359296",
            "SUM 0.0-1.0 536870912 4290000000 retr=2",
            "5 1.0-2.0 310378496 2490000000 retr=3 cwnd=1047552",
            "7 1.0-2.0 309329920 2480000000 retr=0 cwnd=2222981",
            "SUM 1.0-2.0 619708416 4960000000 retr=3",
        ])
        #expect(test.summary.map(\.row) == [
            "5 0.0-2.0 578813952 2320000000 retr=3 sender",
            "5 0.0-2.01 576716800 2300000000 receiver",
            "7 0.0-2.0 577765376 2310000000 retr=2 sender",
            "7 0.0-2.01 575668224 2300000000 receiver",
            "SUM 0.0-2.0 1159641170 4630000000 retr=5 sender",
            "SUM 0.0-2.01 1148903752 4600000000 receiver",
        ])
    }

    @Test func reverse() throws {
        let test = try Iperf3Fixture.onlyTest("reverse.txt", format: .text)
        #expect(test.connections.map(\.row) == ["5 127.0.0.1:47630 > 127.0.0.1:52257"])
        #expect(test.reverse && test.protocolName == "TCP" && test.finished)
        #expect(test.intervals.map(\.row) == [
            "5 0.0-1.0 632291328 5040000000",
            "5 1.0-2.0 695205888 5580000000",
        ])
        #expect(test.summary.map(\.row) == [
            "5 0.0-2.0 1331439862 5320000000 retr=6 sender",
            "5 0.0-2.0 1331439862 5310000000 receiver",
        ])
    }

    @Test func bidirParallel() throws {
        let test = try Iperf3Fixture.onlyTest("bidir-p2.txt", format: .text)
        #expect(test.connections.map(\.row) == ["5 127.0.0.1:54252 > 127.0.0.1:52257", "7 127.0.0.1:54266 > 127.0.0.1:52257", "9 127.0.0.1:54280 > 127.0.0.1:52257", "12 127.0.0.1:54286 > 127.0.0.1:52257"])
        #expect(test.bidir && !test.reverse && test.protocolName == "TCP")
        #expect(test.intervals.map(\.row) == [
            "5[TX-C] 0.0-1.0 68157440 544000000 retr=10 cwnd=1310720",
            "7[TX-C] 0.0-1.0 62914560 502000000 retr=12 cwnd=1047552",
            "SUM[TX-C] 0.0-1.0 131072000 1050000000 retr=22",
            "9[RX-C] 0.0-1.0 216006656 1730000000",
            "12[RX-C] 0.0-1.0 209715200 1680000000",
            "SUM[RX-C] 0.0-1.0 426770432 3400000000",
            "5[TX-C] 1.0-2.0 65536000 523000000 retr=9 cwnd=1310720",
            "7[TX-C] 1.0-2.0 65536000 523000000 retr=13 cwnd=1047552",
            "SUM[TX-C] 1.0-2.0 131072000 1050000000 retr=22",
            "9[RX-C] 1.0-2.0 243269632 1950000000",
            "12[RX-C] 1.0-2.0 243269632 1950000000",
            "SUM[RX-C] 1.0-2.0 487587840 3890000000",
        ])
        #expect(test.summary.map(\.row) == [
            "5[TX-C] 0.0-2.0 134217728 534000000 retr=19 sender",
            "5[TX-C] 0.0-2.01 121634816 483000000 receiver",
            "7[TX-C] 0.0-2.0 127926272 513000000 retr=25 sender",
            "7[TX-C] 0.0-2.01 121634816 483000000 receiver",
            "SUM[TX-C] 0.0-2.0 262144000 1050000000 retr=44 sender",
            "SUM[TX-C] 0.0-2.01 243269632 966000000 receiver",
            "9[RX-C] 0.0-2.0 463470592 1850000000 retr=2 sender",
            "9[RX-C] 0.0-2.01 460324864 1830000000 receiver",
            "12[RX-C] 0.0-2.0 457179136 1830000000 retr=1 sender",
            "12[RX-C] 0.0-2.01 454033408 1800000000 receiver",
            "SUM[RX-C] 0.0-2.0 921698304 3680000000 retr=3 sender",
            "SUM[RX-C] 0.0-2.01 914358272 3630000000 receiver",
        ])
    }

    @Test func udp() throws {
        let test = try Iperf3Fixture.onlyTest("udp.txt", format: .text)
        #expect(test.connections.map(\.row) == ["5 127.0.0.1:44664 > 127.0.0.1:52257"])
        #expect(test.protocolName == "UDP")
        #expect(test.intervals.map(\.row) == [
            "5 0.0-1.0 1279263 10200000 datagrams=39",
            "5 1.0-2.0 1247805 9960000 datagrams=38",
        ])
        #expect(test.summary.map(\.row) == [
            "5 0.0-2.0 2527068 10100000 jitter=0.0 lost=0 datagrams=77 sender",
            "5 0.0-2.0 2527068 10100000 jitter=0.035 lost=0 datagrams=77 receiver",
        ])
    }

    @Test func omitted() throws {
        let test = try Iperf3Fixture.onlyTest("omit.txt", format: .text)
        #expect(test.connections.map(\.row) == ["5 127.0.0.1:54330 > 127.0.0.1:52257"])
        #expect(test.intervals.map(\.row) == [
            "5 0.0-1.01 523239424 4150000000 retr=1 cwnd=785408 omitted",
            "5 0.0-1.0 944766976 7560000000 retr=3 cwnd=1047552",
            "5 1.0-2.0 718274560 5770000000 retr=1 cwnd=4194304",
        ])
        #expect(test.summary.map(\.row) == [
            "5 0.0-2.0 1664299827 6670000000 retr=4 sender",
            "5 0.0-2.0 1664299827 6670000000 receiver",
        ])
    }

    @Test func timestamps() throws {
        let test = try Iperf3Fixture.onlyTest("timestamps.txt", format: .text)
        #expect(test.connections.map(\.row) == ["5 127.0.0.1:54340 > 127.0.0.1:52257"])
        #expect(test.intervals.map(\.timestamp) == ["Wed Nov 25 16:18:58 2026", "Wed Nov 25 16:18:59 2026"])
        #expect(test.finished)
        #expect(test.intervals.map(\.row) == [
            "5 0.0-1.0 746586112 5970000000 retr=4 cwnd=1960837",
            "5 1.0-2.0 938475520 7520000000 retr=0 cwnd=785408",
        ])
        #expect(test.summary.map(\.row) == [
            "5 0.0-2.0 1685774664 6740000000 retr=4 sender",
            "5 0.0-2.01 1685774664 6720000000 receiver",
        ])
    }

    @Test func forceflush() throws {
        let test = try Iperf3Fixture.onlyTest("forceflush.txt", format: .text)
        #expect(test.connections.map(\.row) == ["5 127.0.0.1:45670 > 127.0.0.1:52257"])
        #expect(test.intervals.map(\.row) == [
            "5 0.0-1.0 543162368 4340000000 retr=7 cwnd=2097152",
            "5 1.0-2.0 578813952 4630000000 retr=2 cwnd=2747269",
        ])
        #expect(test.summary.map(\.row) == [
            "5 0.0-2.0 1116691497 4490000000 retr=9 sender",
            "5 0.0-2.01 1116691497 4450000000 receiver",
        ])
    }
}

extension Iperf3TextFixtureTests {
    /// `iperf3 -s` running the tcp-p2 and reverse tests one after another, then waiting for a third.
    @Test func serverTwoTests() throws {
        let report = try Iperf3Fixture.report("server-two-tests.txt")
        #expect(report.skippedLines == 0)
        #expect(report.tests.count == 3)
        #expect(report.tests.map(\.side) == [.server, .server, .server])
        #expect(report.tests.map(\.acceptedFrom?.port) == [47600, 47624, nil])
        #expect(report.tests.map { $0.connections.map(\.row) } == [
            ["5 127.0.0.1:52257 > 127.0.0.1:47606", "8 127.0.0.1:52257 > 127.0.0.1:47610"],
            ["5 127.0.0.1:52257 > 127.0.0.1:47630"],
            [],
        ])
        #expect(report.tests[0].intervals.map(\.row) == [
            "5 0.0-1.0 268435456 2150000000",
            "8 0.0-1.0 268435456 2150000000",
            "SUM 0.0-1.0 536870912 4290000000",
            "5 1.0-2.01 308281344 2460000000",
            "8 1.0-2.01 307232768 2450000000",
            "SUM 1.0-2.01 615514112 4900000000",
        ])
        #expect(report.tests[0].summary.map(\.row) == [
            "5 0.0-2.01 576716800 2300000000 receiver",
            "8 0.0-2.01 575668224 2300000000 receiver",
            "SUM 0.0-2.01 1148903752 4600000000 receiver",
        ])
        #expect(report.tests[1].intervals.map(\.row) == [
            "5 0.0-1.0 634388480 5070000000 retr=5 cwnd=2621440",
            "5 1.0-2.0 697303040 5580000000 retr=1 cwnd=2747269",
        ])
        #expect(report.tests[1].summary.map(\.row) == ["5 0.0-2.0 1331439862 5320000000 retr=6 sender"])
    }

    /// `-V -P 2 -O 1`: the start lines declare what the columns only hint at; the system line,
    /// cookie, CPU and congestion lines are read as information, not as damage.
    @Test func verbose() throws {
        let test = try Iperf3Fixture.onlyTest("verbose.txt", format: .text)
        #expect(test.version == "iperf 3.12" && test.startTime == "Wed, 25 Nov 2026 16:27:29 GMT")
        #expect(test.protocolName == "TCP" && test.parallel == 2 && test.omitSeconds == 1 && test.duration == 2)
        #expect(test.connections.map(\.row) == ["5 127.0.0.1:55006 > 127.0.0.1:60997", "7 127.0.0.1:55018 > 127.0.0.1:60997"])
        #expect(test.intervals.map(\.row) == [
            "5 0.0-1.0 216006656 1730000000 retr=6 cwnd=785408 omitted",
            "7 0.0-1.0 205520896 1640000000 retr=6 cwnd=785408 omitted",
            "SUM 0.0-1.0 421527552 3370000000 retr=12 omitted",
            "5 0.0-1.01 386924544 3080000000 retr=0 cwnd=2097152",
            "7 0.0-1.01 379584512 3020000000 retr=1 cwnd=3009413",
            "SUM 0.0-1.01 766509056 6100000000 retr=1",
            "5 1.01-2.01 318767104 2530000000 retr=2 cwnd=785408",
            "7 1.01-2.01 316669952 2520000000 retr=2 cwnd=3145728",
            "SUM 1.01-2.01 635437056 5060000000 retr=4",
        ])
        #expect(test.summary.map(\.row) == [
            "5 0.0-2.01 704643072 2810000000 retr=2 sender",
            "5 0.0-2.02 706740224 2800000000 receiver",
            "7 0.0-2.01 697303040 2770000000 retr=3 sender",
            "7 0.0-2.02 698351616 2770000000 receiver",
            "SUM 0.0-2.01 1406601789 5580000000 retr=5 sender",
            "SUM 0.0-2.02 1406601789 5560000000 receiver",
        ])
        #expect(test.finished)
    }

    /// tcp-p2.txt with CRLF line ends, a garbage line after the header and the file cut off
    /// inside the first receiver line: exactly those two lines are skipped.
    @Test func damaged() throws {
        let report = try Iperf3Fixture.report("tcp-p2-damaged.txt")
        #expect(report.skippedLines == 2)
        let test = try #require(report.tests.first)
        #expect(test.connections.count == 2)
        #expect(test.intervals.count == 6)
        #expect(test.summary.map(\.row) == ["5 0.0-2.0 578813952 2320000000 retr=3 sender"])
        #expect(!test.finished)
    }
}
