import Testing
@testable import Feeds

/// Text forms the recorded fixtures do not show (from iperf3's src/iperf_locale.c and units.c).
@Suite struct Iperf3TextLineTests {
    private func line(_ text: String, datagramColumn: Bool = false) -> Iperf3TextLine {
        Iperf3TextLine(text[...], datagramColumn: datagramColumn)
    }

    private func row(_ text: String, datagramColumn: Bool = false) -> String? {
        if case .measurement(let m) = line(text, datagramColumn: datagramColumn) { return m.row }
        return nil
    }

    @Test func unitsScaleBytesBy1024AndBitsBy1000() {
        #expect(Iperf3Units.bytes("1.50", "KBytes") == 1536)
        #expect(Iperf3Units.bytes("2", "GBytes") == 2_147_483_648)
        #expect(Iperf3Units.bytes("800", "Bytes") == 800)
        #expect(Iperf3Units.bytes("8.00", "Mbits") == 1_000_000)  // `-f m` puts bits in the Transfer column
        #expect(Iperf3Units.bitsPerSecond("1.00", "Tbits/sec") == 1e12)
        #expect(Iperf3Units.bitsPerSecond("1.00", "KBytes/sec") == 8192)  // `-f K`
        #expect(Iperf3Units.bitsPerSecond("1.00", "bits/sec") == 1)
        #expect(Iperf3Units.bytes("1", "Pbits") == nil && Iperf3Units.bitsPerSecond("1", "Mbits") == nil)
    }

    @Test func measurements() {
        #expect(row("[  5][TX-S]  10.00-11.00  sec  1.25 GBytes  10.7 Gbits/sec  120   3.00 MBytes       ")
            == "5[TX-S] 10.0-11.0 1342177280 10700000000 retr=120 cwnd=3145728")
        #expect(row("[SUM][RX-S]   0.00-1.00   sec   800 KBytes  6.55 Mbits/sec                  (omitted)")
            == "SUM[RX-S] 0.0-1.0 819200 6550000 omitted")
        #expect(row("[  5]   0.00-2.00   sec  2.41 MBytes  10.1 Mbits/sec  0.116 ms  3/77 (3.9%)  receiver")
            == "5 0.0-2.0 2527068 10100000 jitter=0.116 lost=3 datagrams=77 receiver")
        #expect(row("[  5]   0.00-2.00   sec  2.41 MBytes  10.1 Mbits/sec  0.116 ms  Unknown/77  receiver")
            == "5 0.0-2.0 2527068 10100000 jitter=0.116 datagrams=77 receiver")
        #expect(row("[SUM]   1.00-2.00   sec  1.19 MBytes  9.96 Mbits/sec  38  ", datagramColumn: true)
            == "SUM 1.0-2.0 1247805 9960000 datagrams=38")
    }

    /// Found by the fuzzer: numbers no Int64 or finite Double holds made bptop trap; such a
    /// line is unreadable like any other.
    @Test(arguments: [
        "[  5]   0.00-1.00   sec   inf GBytes  2.15 Gbits/sec    0   1.37 MBytes",
        "[  5]   0.00-1.00   sec   1e30 TBytes  2.15 Gbits/sec    0   1.37 MBytes",
        "[  5]   0.00-1.00   sec   1 GBytes  2.15 Gbits/sec    0   9e99 MBytes",
        "[  5]   0.00-1.00   sec   1 GBytes  nan Gbits/sec",
        "[  5]   nan-1.00   sec   1 GBytes  2.15 Gbits/sec",
        "[  5]   0.00-inf   sec   1 GBytes  2.15 Gbits/sec",
        "[  5]   0.00-1.00   sec  2.41 MBytes  10.1 Mbits/sec  inf ms  3/77 (3.9%)  receiver",
    ])
    func numbersBeyondTheirTypesAreUnreadable(text: String) {
        #expect(line(text) == .unreadable)
    }

    @Test func outOfOrderJoinsTheReceiverLine() {
        let report = Iperf3Parser.parse(Array("""
            [ ID] Interval           Transfer     Bitrate         Jitter    Lost/Total Datagrams
            [  5]   0.00-2.00   sec  2.41 MBytes  10.1 Mbits/sec  0.116 ms  0/77 (0%)  receiver
            [  5]  0.0- 2.0 sec  4 datagrams received out-of-order
            [  9]  0.0- 2.0 sec  1 datagrams received out-of-order

            """.utf8))
        #expect(report.tests.first?.summary.map(\.row) == ["5 0.0-2.0 2527068 10100000 jitter=0.116 lost=0 datagrams=77 ooo=4 receiver"])
        #expect(report.skippedLines == 1)  // no receiver line for stream 9
    }

    @Test func verboseStartAndErrors() {
        #expect(line("iperf 3.17.1") == .version("iperf 3.17.1"))
        #expect(line("Time: Wed, 25 Nov 2026 16:20:00 GMT") == .time("Wed, 25 Nov 2026 16:20:00 GMT"))
        #expect(line("Starting Test: protocol: TCP, 8 streams, 131072 byte blocks, omitting 1 seconds, 60 second test, tos 0")
            == .starting(protocolName: "TCP", parallel: 8, omit: 1, duration: 60))
        #expect(line("iperf3: error - unable to connect to server - server may have stopped running or use a different port")
            == .error("error - unable to connect to server - server may have stopped running or use a different port"))
        #expect(line("Accepted connection from ::1, port 40000") == .accepted(Iperf3Endpoint(host: "::1", port: 40000)))
        #expect(line("[SUM] Sent 77 datagrams") == .ignored)
        #expect(line("[  5] local ::1 port 5201 connected to ::1 port 40002")
            == .connected(Iperf3Connection(stream: 5, local: Iperf3Endpoint(host: "::1", port: 5201),
                                           remote: Iperf3Endpoint(host: "::1", port: 40002))))
        for unreadable in ["[  5] 0.00-1.00 sec", "[  x] 0.00-1.00 sec 1 MBytes 8 Mbits/sec", "[  5][XX-C] 0.00-1.00 sec",
                           "Accepted connection from", "some warning", "[  5"] {
            #expect(line(unreadable) == .unreadable, "\(unreadable)")
        }
    }

    @Test func timestampPrefix() {
        func split(_ line: String) -> (String?, String) {
            let (stamp, body) = Iperf3TextReader.splitTimestamp(Array(line.utf8)[...])
            return (stamp, String(decoding: body, as: UTF8.self))
        }
        #expect(split("Wed Nov  5 06:20:00 2026 iperf Done.") == ("Wed Nov  5 06:20:00 2026", "iperf Done."))
        #expect(split("Wed Nov 25 16:18:59 2026") == ("Wed Nov 25 16:18:59 2026", ""))
        #expect(split("[  5]   0.00-1.00   sec") == (nil, "[  5]   0.00-1.00   sec"))
    }

    @Test func jsonStreamError() {
        let report = Iperf3Parser.parse(Array("""
            {"event":"start","data":{"connected":[],"test_start":{"protocol":"TCP","num_streams":8,"bidir":1}}}
            {"event":"error","data":"error - the server has terminated"}
            {"event":"future","data":{}}

            """.utf8))
        #expect(report.format == .jsonStream && report.skippedLines == 1)
        #expect(report.tests.first?.error == "error - the server has terminated")
        #expect(report.tests.first?.bidir == true && report.tests.first?.parallel == 8)
    }
}
