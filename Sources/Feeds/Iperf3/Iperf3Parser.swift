import Telemetry

/// Reads iperf3 output as it arrives, in chunks of any size (a pipe, a followed log file): whole
/// lines are parsed at once and a partial last line waits for its newline, so the report after
/// feeding a log in pieces equals the report after feeding it whole. Never fails: what it cannot
/// read is counted in `report.skippedLines`. Memory is bounded whatever arrives: a line longer
/// than `maxLineBytes` is dropped (and counted) instead of buffered.
public struct Iperf3Parser: Sendable {
    /// iperf3's longest lines are `--json-stream` interval events: about 400 bytes a stream,
    /// so 50 KB at `-P 128`.
    static let maxLineBytes = 1 << 20

    public private(set) var report = Iperf3Report()
    private var partialLine: [UInt8] = []
    /// The line being received passed `maxLineBytes`: the rest of it is dropped.
    private var droppingLine = false
    private var text = Iperf3TextReader()
    private var json: Iperf3JSONReader

    public init() {
        self.init(maxDocumentBytes: Iperf3JSONReader.maxDocumentBytes)
    }

    init(maxDocumentBytes: Int) {
        json = Iperf3JSONReader(maxDocumentBytes: maxDocumentBytes)
    }

    /// The report of a complete output.
    public static func parse(_ bytes: some Collection<UInt8>) -> Iperf3Report {
        var parser = Iperf3Parser()
        parser.feed(bytes)
        parser.finish()
        return parser.report
    }

    public mutating func feed(_ bytes: some Collection<UInt8>) {
        let chunk = Array(bytes)  // one copy into a concrete type, not a generic walk per byte
        var lineStart = chunk.startIndex
        while let newline = chunk[lineStart...].firstIndex(of: 0x0A) {
            if droppingLine || partialLine.count + (newline - lineStart) > Self.maxLineBytes {
                report.skippedLines += 1
                droppingLine = false
            } else if partialLine.isEmpty {
                read(line: chunk[lineStart..<newline])
            } else {
                partialLine.append(contentsOf: chunk[lineStart..<newline])
                read(line: partialLine[...])
            }
            partialLine.removeAll(keepingCapacity: true)
            lineStart = chunk.index(after: newline)
        }
        guard !droppingLine else { return }
        if partialLine.count + (chunk.endIndex - lineStart) > Self.maxLineBytes {
            droppingLine = true
            partialLine = []
        } else {
            partialLine.append(contentsOf: chunk[lineStart...])
        }
    }

    /// Bytes held for lines and documents not yet complete.
    var bufferedBytes: Int { partialLine.count + json.bufferedBytes }

    /// Forgets all but the newest `count` tests and returns how many it forgot: a server log
    /// followed for days gains a test per client run, and only the newest are shown.
    public mutating func keepNewestTests(_ count: Int) -> Int {
        let excess = max(report.tests.count - max(count, 1), 0)
        report.tests.removeFirst(excess)
        return excess
    }

    /// The output ended (the process exited, the log is complete): reads a last line that has
    /// no newline, and counts a JSON document that never closed as skipped.
    public mutating func finish() {
        if droppingLine {
            report.skippedLines += 1
            droppingLine = false
        } else if !partialLine.isEmpty {
            read(line: partialLine[...])
            partialLine.removeAll()
        }
        json.finish(into: &report)
    }

    private mutating func read(line: ArraySlice<UInt8>) {
        let bytes = line.last == 0x0D ? line.dropLast() : line  // CRLF logs
        if report.format == nil {
            guard let first = bytes.first(where: { $0 != 0x20 && $0 != 0x09 }) else { return }
            report.format = first == UInt8(ascii: "{") ? .json : .text
        }
        if report.format == .text {
            text.read(bytes, into: &report)
        } else {
            json.read(line: bytes, into: &report)
        }
    }
}
