/// Applies iperf3 text lines, one at a time, to a report: starts a new test where a client run or
/// a server's next test begins, and keeps the column state that later lines depend on.
struct Iperf3TextReader: Sendable {
    /// iperf3's text lines are a few hundred bytes at most; a longer one is not iperf3's, and
    /// reading it word by word would cost time for nothing.
    static let maxLineBytes = 4096

    /// The last "[ ID]" header said "Total Datagrams" (a UDP sender's columns).
    private var datagramColumn = false
    /// `-V` prints the system (uname) right after the version line, in no fixed form.
    private var systemInfoNext = false

    mutating func read(_ rawLine: ArraySlice<UInt8>, into report: inout Iperf3Report) {
        guard rawLine.count <= Self.maxLineBytes else {
            report.skippedLines += 1
            return
        }
        let isSpace = { (b: UInt8) in b == 0x20 || b == 0x09 || b == 0x0D }
        var trimmed = rawLine.drop(while: isSpace)
        while let last = trimmed.last, isSpace(last) { trimmed.removeLast() }
        let (timestamp, body) = Self.splitTimestamp(trimmed)
        let parsed = Iperf3TextLine(String(decoding: body, as: UTF8.self)[...], datagramColumn: datagramColumn)
        defer { systemInfoNext = if case .version = parsed { true } else { false } }
        switch parsed {
        case .unreadable: if !systemInfoNext { report.skippedLines += 1 }
        case .ignored: break
        case .connecting:
            report.startTest()
            report.currentTest.side = .client
        case .listening:
            report.startTest()
            report.currentTest.side = .server
        case .accepted(let client):
            report.startTest()
            report.currentTest.side = .server
            report.currentTest.acceptedFrom = client
        case .version(let version):
            report.startTest()
            report.currentTest.version = version
        case .time(let time): report.currentTest.startTime = time
        case .reverse: report.currentTest.reverse = true
        case let .starting(protocolName, parallel, omit, duration):
            report.currentTest.protocolName = protocolName
            report.currentTest.parallel = parallel
            report.currentTest.omitSeconds = omit
            report.currentTest.duration = duration
        case .header(let columns):
            datagramColumn = columns.contains("Total Datagrams") && !columns.contains("Lost")
            if columns.hasPrefix("[Role]") { report.currentTest.bidir = true }
            if report.currentTest.protocolName == nil {
                report.currentTest.protocolName = columns.contains("Datagrams") ? "UDP" : columns.contains("Retr") ? "TCP" : nil
            }
        case .connected(let connection): report.currentTest.connections.append(connection)
        case .measurement(var m):
            m.timestamp = timestamp
            if m.side == nil { report.currentTest.intervals.append(m) } else { report.currentTest.summary.append(m) }
        case let .outOfOrder(stream, role, count):
            // Printed right after the receiver's end-of-test line for the same stream.
            if let i = report.currentTest.summary.lastIndex(where: { $0.stream == stream && $0.role == role }) {
                report.currentTest.summary[i].outOfOrder = count
            } else {
                report.skippedLines += 1
            }
        case .done: report.currentTest.finished = true
        case .error(let message): report.currentTest.error = message
        }
    }

    /// Splits off a `--timestamps` prefix in iperf3's default `%c ` format
    /// ("Wed Nov 25 16:20:00 2026 "); lines without one come back whole.
    static func splitTimestamp(_ line: ArraySlice<UInt8>) -> (String?, ArraySlice<UInt8>) {
        guard line.count >= timestampShape.count else { return (nil, line) }
        for (b, shape) in zip(line, timestampShape) {
            let isDigit = (0x30...0x39).contains(b)
            let fits = switch shape {
            case UInt8(ascii: "a"): (0x41...0x5A).contains(b) || (0x61...0x7A).contains(b)
            case UInt8(ascii: "d"): isDigit
            case UInt8(ascii: "#"): isDigit || b == 0x20
            default: b == shape
            }
            guard fits else { return (nil, line) }
        }
        let stamp = line.prefix(timestampShape.count)
        let body = line.dropFirst(timestampShape.count)
        return (String(decoding: stamp, as: UTF8.self), body.first == 0x20 ? body.dropFirst() : body)
    }

    /// `%c` in the C locale: letters (a), digits (d), a day of month padded with a space (#).
    private static let timestampShape = Array("aaa aaa #d dd:dd:dd dddd".utf8)
}

extension Iperf3Report {
    /// The test lines go to, created on the first line that needs one. Modified in place, so a
    /// long log's appends stay O(1) instead of copying the test's arrays each time.
    var currentTest: Iperf3Test {
        get { tests.last ?? Iperf3Test() }
        _modify {
            if tests.isEmpty { tests.append(Iperf3Test()) }
            yield &tests[tests.count - 1]
        }
    }

    /// Starts a new test unless the current one is still fresh: lines that open a test ("iperf
    /// 3.12", "Connecting to host", "Server listening", "Accepted connection") come several in a row.
    mutating func startTest() {
        if let t = tests.last, t.connections.isEmpty, t.intervals.isEmpty, t.summary.isEmpty, t.acceptedFrom == nil,
           t.error == nil, !t.finished { return }
        tests.append(Iperf3Test())
    }
}
