import Telemetry

/// Maps iperf3's JSON objects onto the report, following src/iperf_api.c: the `--json` document
/// is {start, intervals[], end, error?}; each `--json-stream` line is {"event": name, "data": …}
/// with "start" (the document's start), "interval" (one of its intervals[]), "end" (its end),
/// "error" (a string) and "server_output_json"/"server_output_text" (the server's own report).
extension Iperf3Report {
    mutating func apply(document: JSONValue) {
        startTest()
        if let start = document["start"] { currentTest.readStart(start) }
        for interval in document["intervals"]?.array ?? [] { currentTest.readInterval(interval) }
        if let end = document["end"] { currentTest.readEnd(end) }
        if let error = document["error"]?.string { currentTest.error = error }
    }

    /// False for an event this reader does not know.
    mutating func apply(event: String, data: JSONValue) -> Bool {
        switch event {
        case "start":
            startTest()
            currentTest.readStart(data)
        case "interval": currentTest.readInterval(data)
        case "end": currentTest.readEnd(data)
        case "error": currentTest.error = data.string
        case "server_output_json", "server_output_text": break
        default: return false
        }
        return true
    }
}

extension Iperf3Test {
    mutating func readStart(_ start: JSONValue) {
        version = start["version"]?.string
        startTime = start["timestamp"]?["time"]?.string
        if let client = start["accepted_connection"], let host = client["host"]?.string, let port = client["port"]?.int {
            side = .server
            acceptedFrom = Iperf3Endpoint(host: host, port: port)
        }
        for c in start["connected"]?.array ?? [] {
            guard let stream = c["socket"]?.int, let localHost = c["local_host"]?.string, let localPort = c["local_port"]?.int,
                  let remoteHost = c["remote_host"]?.string, let remotePort = c["remote_port"]?.int else { continue }
            connections.append(Iperf3Connection(stream: stream, local: Iperf3Endpoint(host: localHost, port: localPort),
                                                remote: Iperf3Endpoint(host: remoteHost, port: remotePort)))
        }
        let settings = start["test_start"]
        protocolName = settings?["protocol"]?.string
        parallel = settings?["num_streams"]?.int
        omitSeconds = settings?["omit"]?.int
        duration = settings?["duration"]?.int
        reverse = settings?["reverse"]?.int == 1
        bidir = settings?["bidir"]?.int == 1  // 3.17+; 3.12 only shows it by its *_bidir_reverse sums
    }

    mutating func readInterval(_ interval: JSONValue) {
        if interval["sum_bidir_reverse"] != nil { bidir = true }
        for stream in interval["streams"]?.array ?? [] { measurement(stream, side: nil).map { intervals.append($0) } }
        for key in ["sum", "sum_bidir_reverse"] { interval[key].flatMap { measurement($0, side: nil) }.map { intervals.append($0) } }
    }

    mutating func readEnd(_ end: JSONValue) {
        if end["sum_sent_bidir_reverse"] != nil { bidir = true }
        for stream in end["streams"]?.array ?? [] {
            for (key, side) in [("sender", Iperf3Interval.Side.sender), ("receiver", .receiver), ("udp", nil)] {
                stream[key].flatMap { measurement($0, side: side) }.map { summary.append($0) }
            }
        }
        let sums: [(String, Iperf3Interval.Side?)] = [("sum_sent", .sender), ("sum_received", .receiver), ("sum", nil),
                                                      ("sum_sent_bidir_reverse", .sender), ("sum_received_bidir_reverse", .receiver)]
        for (key, side) in sums { end[key].flatMap { measurement($0, side: side) }.map { summary.append($0) } }
        finished = true
    }

    /// One stream or sum object; its "sender" flag says which way the stream carries data, which
    /// is the role under `--bidir`.
    private func measurement(_ o: JSONValue, side: Iperf3Interval.Side?) -> Iperf3Interval? {
        guard let start = o["start"]?.double, let end = o["end"]?.double, let bytes = o["bytes"]?.int64,
              let bits = o["bits_per_second"]?.double else { return nil }
        var role: Iperf3Role?
        if bidir, let sends = o["sender"]?.bool {
            role = switch (self.side, sends) {
            case (.client, true): .txClient
            case (.client, false): .rxClient
            case (.server, true): .txServer
            case (.server, false): .rxServer
            }
        }
        return Iperf3Interval(stream: o["socket"]?.int, role: role, start: start, end: end, bytes: bytes, bitsPerSecond: bits,
                              retransmits: o["retransmits"]?.int, cwnd: o["snd_cwnd"]?.int64, jitterMs: o["jitter_ms"]?.double,
                              lostDatagrams: o["lost_packets"]?.int, datagrams: o["packets"]?.int,
                              outOfOrder: o["out_of_order"]?.int, omitted: o["omitted"]?.bool ?? false, side: side)
    }
}
