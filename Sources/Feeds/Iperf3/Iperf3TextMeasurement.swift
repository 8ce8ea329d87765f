/// Reads the columns of an interval or end-of-test line after its "[  5][TX-C]" tags, e.g.
/// `0.00-1.00 sec 329 MBytes 2.75 Gbits/sec 6 767 KBytes` (TCP sender with Retr and Cwnd),
/// `… 0.116 ms 0/77 (0%) receiver` (UDP receiver), `… 39` (UDP sender datagrams), each optionally
/// ending in "(omitted)", "sender" or "receiver" (iperf3's report_bw_*_format strings).
enum Iperf3TextMeasurement {
    static func parse(_ words: [Substring], datagramColumn: Bool) -> Iperf3Interval? {
        guard words.count >= 6, words[1] == "sec", let dash = words[0].dropFirst().firstIndex(of: "-"),
              let start = Double(words[0][..<dash]), let end = Double(words[0][words[0].index(after: dash)...]),
              start.isFinite, end.isFinite, let bytes = Iperf3Units.bytes(words[2], words[3]),
              let bits = Iperf3Units.bitsPerSecond(words[4], words[5]) else { return nil }
        var m = Iperf3Interval(start: start, end: end, bytes: Int64(bytes.rounded()), bitsPerSecond: bits)
        var rest = words[6...]
        switch rest.last {
        case "(omitted)": m.omitted = true
        case "sender": m.side = .sender
        case "receiver": m.side = .receiver
        default: break
        }
        if m.omitted || m.side != nil { rest = rest.dropLast() }
        let columns = Array(rest)
        if columns.count == 3 || columns.count == 4, columns[1] == "ms" {
            let counts = columns[2].split(separator: "/")
            guard let jitter = Double(columns[0]), jitter.isFinite, counts.count == 2, let total = Int(counts[1]) else { return nil }
            m.jitterMs = jitter
            m.lostDatagrams = Int(counts[0])  // nil for "Unknown": the sender's count never arrived
            m.datagrams = total
            return m
        }
        switch columns.count {
        case 0: break
        case 1:
            guard let n = Int(columns[0]) else { return nil }
            if datagramColumn { m.datagrams = n } else { m.retransmits = n }
        case 3:
            guard let retr = Int(columns[0]), let cwnd = Iperf3Units.bytes(columns[1], columns[2]) else { return nil }
            m.retransmits = retr
            m.cwnd = Int64(cwnd.rounded())
        default: return nil
        }
        return m
    }
}
