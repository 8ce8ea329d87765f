/// One line of iperf3's text output, classified. The format strings are those of iperf3's
/// src/iperf_locale.c (3.12 and later); `--timestamps` prefixes are removed by the caller.
enum Iperf3TextLine: Equatable {
    case connecting
    case listening
    case accepted(Iperf3Endpoint)
    case reverse
    case version(String)
    case time(String)
    /// `-V`: "Starting Test: protocol: TCP, 2 streams, 131072 byte blocks, omitting 1 seconds, 2 second test, tos 0".
    case starting(protocolName: String, parallel: Int?, omit: Int?, duration: Int?)
    /// "[ ID] Interval …": the column names, which tell TCP from UDP.
    case header(String)
    case connected(Iperf3Connection)
    case measurement(Iperf3Interval)
    case outOfOrder(stream: Int?, role: Iperf3Role?, count: Int)
    case done
    case error(String)
    /// Separators, blank lines and other lines that carry nothing bptop shows.
    case ignored
    case unreadable

    /// `datagramColumn`: the last header was "Total Datagrams" (a UDP sender), so a lone number
    /// after the bitrate counts datagrams rather than TCP retransmits.
    init(_ line: Substring, datagramColumn: Bool) {
        if line.isEmpty || line.hasPrefix("- - -") || line.hasPrefix("-----") { self = .ignored; return }
        if line.hasPrefix("[") { self = Self.bracketed(line, datagramColumn: datagramColumn); return }
        let words = line.split(separator: " ")
        switch words.first {
        case "Connecting" where line.hasPrefix("Connecting to host "): self = .connecting
        case "Server" where line.hasPrefix("Server listening on "): self = .listening
        case "Accepted" where words.count == 6:
            self = Self.endpoint(words[3].dropLast(), words[5]).map(Self.accepted) ?? .unreadable
        case "Reverse" where line.hasPrefix("Reverse mode,"): self = .reverse
        case "iperf" where line == "iperf Done.": self = .done
        case "iperf" where words.count >= 2 && words[1].first?.isNumber == true: self = .version(String(line))
        case "iperf3:": self = .error(String(line.dropFirst("iperf3: ".count)))
        case "Time:": self = .time(String(line.dropFirst("Time: ".count)))
        case "Starting" where line.hasPrefix("Starting Test: protocol: "): self = Self.starting(words)
        default: self = Self.informational.contains(where: line.hasPrefix) ? .ignored : .unreadable
        }
    }

    private static func endpoint(_ host: Substring, _ port: Substring) -> Iperf3Endpoint? {
        Int(port).map { Iperf3Endpoint(host: String(host), port: $0) }
    }

    private static func starting(_ words: [Substring]) -> Iperf3TextLine {
        func number(before label: Substring) -> Int? {
            words.firstIndex(of: label).flatMap { $0 > 0 ? Int(words[$0 - 1]) : nil }
        }
        guard words.count > 3 else { return .unreadable }
        return .starting(protocolName: String(words[3].filter { $0 != "," }), parallel: number(before: "streams,"),
                         omit: words.firstIndex(of: "omitting").flatMap { $0 + 1 < words.count ? Int(words[$0 + 1]) : nil },
                         duration: number(before: "second"))
    }

    /// Lines that start with "[ ID]", "[  5]", "[SUM]", optionally followed by a "[TX-C]" role.
    private static func bracketed(_ line: Substring, datagramColumn: Bool) -> Iperf3TextLine {
        guard let close = line.firstIndex(of: "]") else { return .unreadable }
        let tag = line[line.index(after: line.startIndex)..<close].trimmingSpaces
        var rest = line[line.index(after: close)...]
        if tag == "ID" { return .header(String(rest)) }
        let stream = Int(tag)
        guard stream != nil || tag == "SUM" else { return .unreadable }
        var role: Iperf3Role?
        if rest.hasPrefix("["), let roleClose = rest.firstIndex(of: "]") {
            guard let r = Iperf3Role(rawValue: String(rest.dropFirst().prefix(upTo: roleClose))) else { return .unreadable }
            role = r
            rest = rest[rest.index(after: roleClose)...]
        }
        let words = rest.split(separator: " ")
        if words.count == 9, words[0] == "local", words[2] == "port", words[4] == "connected", words[5] == "to" || words[5] == "with",
           let stream, let local = endpoint(words[1], words[3]), let remote = endpoint(words[6], words[8]) {
            return .connected(Iperf3Connection(stream: stream, local: local, remote: remote))
        }
        if words.last == "out-of-order", words.count >= 4, let count = Int(words[words.count - 4]) {
            return .outOfOrder(stream: stream, role: role, count: count)
        }
        if let measurement = Iperf3TextMeasurement.parse(words, datagramColumn: datagramColumn) {
            var interval = measurement
            interval.stream = stream
            interval.role = role
            return .measurement(interval)
        }
        let text = rest.trimmingSpaces
        return informational.contains(where: text.hasPrefix) ? .ignored : .unreadable
    }

    /// Lines iperf3 prints that carry nothing bptop shows: `-V` details, UDP sender counts, warnings
    /// (after a "[  5]" tag or on their own).
    private static let informational = [
        "Sent ", "MSS ", "Server Report:", "(sender statistics", "(receiver statistics", "Read lengths", "WARNING:",
        "Cookie:", "TCP MSS:", "Control connection MSS", "Test Complete.", "CPU Utilization:", "snd_tcp_congestion",
        "rcv_tcp_congestion", "Authentication ", "Finished omit period", "Using TCP Autotuning", "TCP window size",
        "Waiting for server threads", "Binding to",
    ]
}
