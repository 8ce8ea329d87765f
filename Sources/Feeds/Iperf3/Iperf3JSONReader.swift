import Telemetry

/// Frames iperf3's JSON output into objects. `--json-stream` writes one object per line;
/// `--json` writes one pretty-printed document per test (a server writes several), collected
/// line by line until its brackets balance. A document that does not parse counts all its lines
/// as skipped; a line that is exactly "{" starts a document, so one cut off before it is given up.
/// A document that grows past `maxDocumentBytes` is given up too, with its remaining lines up
/// to the next "{", so one that never closes costs bounded memory.
struct Iperf3JSONReader: Sendable {
    /// About an hour of `--json` at `-P 16`; longer runs are read live with `--json-stream`.
    static let maxDocumentBytes = 32 << 20

    let maxDocumentBytes: Int
    private var document: [UInt8] = []
    private var documentLines = 0
    private var depth = 0
    /// The document being read passed the limit: its lines are counted, not kept.
    private var droppingDocument = false

    init(maxDocumentBytes: Int) {
        self.maxDocumentBytes = maxDocumentBytes
    }

    mutating func read(line: ArraySlice<UInt8>, into report: inout Iperf3Report) {
        let trimmed = line.drop(while: { $0 == 0x20 || $0 == 0x09 })
        let opensDocument = line.elementsEqual([UInt8(ascii: "{")])
        if opensDocument { finish(into: &report) }
        if droppingDocument {
            guard opensDocument else { report.skippedLines += 1; return }
            droppingDocument = false
        }
        if document.isEmpty {
            guard let first = trimmed.first else { return }
            guard first == UInt8(ascii: "{") else { report.skippedLines += 1; return }
            if report.format == .jsonStream && !opensDocument {
                Self.apply(JSONReader.parse(trimmed), lines: 1, to: &report)
                return
            }
        }
        document.append(contentsOf: line)
        document.append(0x0A)
        documentLines += 1
        depth += Self.bracketBalance(line)
        if depth <= 0 { finish(into: &report) }
        if document.count > maxDocumentBytes {
            finish(into: &report)
            droppingDocument = true
        }
    }

    var bufferedBytes: Int { document.count }

    /// Applies the document collected so far, if any: whole, or counted as skipped.
    mutating func finish(into report: inout Iperf3Report) {
        guard !document.isEmpty else { return }
        Self.apply(depth <= 0 ? JSONReader.parse(document) : nil, lines: documentLines, to: &report)
        document.removeAll(keepingCapacity: true)
        documentLines = 0
        depth = 0
    }

    private static func apply(_ value: JSONValue?, lines: Int, to report: inout Iperf3Report) {
        guard case .object = value, let value else { report.skippedLines += lines; return }
        if let event = value["event"]?.string {
            report.format = .jsonStream
            if !report.apply(event: event, data: value["data"] ?? .null) { report.skippedLines += lines }
        } else if report.format != .jsonStream {  // else `--json-stream-full` (3.20+) repeating the events
            report.apply(document: value)
        }
    }

    /// Opening minus closing brackets outside strings (a JSON string cannot span lines).
    private static func bracketBalance(_ line: ArraySlice<UInt8>) -> Int {
        var balance = 0
        var inString = false
        var escaped = false
        for b in line {
            if inString {
                if escaped { escaped = false } else if b == UInt8(ascii: "\\") { escaped = true } else if b == UInt8(ascii: "\"") { inString = false }
                continue
            }
            switch b {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "{"), UInt8(ascii: "["): balance += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"): balance -= 1
            default: break
            }
        }
        return balance
    }
}
