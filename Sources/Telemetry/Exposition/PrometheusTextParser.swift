/// Reads Prometheus text exposition format 0.0.4 (what `/metrics` endpoints serve).
///
/// A pure function from bytes to values, so any exporter's output can be replayed in tests.
/// Malformed lines are counted and skipped, never fatal: one bad series from an exporter
/// must not blank a whole dashboard. Quoted (UTF-8) metric names of newer formats are not
/// 0.0.4 and count as malformed.
public enum PrometheusTextParser {
    public static func parse(_ bytes: some Collection<UInt8>) -> ParsedExposition {
        if let parsed = bytes.withContiguousStorageIfAvailable(parse(buffer:)) { return parsed }
        return Array(bytes).withUnsafeBufferPointer(parse(buffer:))
    }

    private static func parse(buffer: UnsafeBufferPointer<UInt8>) -> ParsedExposition {
        var lines = LineParser(bytes: buffer)
        var start = 0
        var number = 0
        while start < buffer.count {
            var end = start
            while end < buffer.count, buffer[end] != UInt8(ascii: "\n") { end += 1 }
            number += 1
            lines.parse(line: start..<end, number: number)
            start = end + 1
        }
        return lines.result
    }
}

/// Parses one line at a time into `result`.
private struct LineParser {
    let bytes: UnsafeBufferPointer<UInt8>
    var result = ParsedExposition()
    /// Families with a `# TYPE` line, to catch a second one.
    private var typed: Set<String> = []
    /// Reused for label values with escapes.
    private var scratch: [UInt8] = []
    /// Consecutive samples mostly share a name: reuse its string instead of allocating another.
    private var lastName: (bytes: Range<Int>, string: String)?

    init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    mutating func parse(line: Range<Int>, number: Int) {
        var cursor = ByteCursor(bytes, line: line)
        guard !cursor.isAtEnd else { return }
        do {
            if cursor.take(UInt8(ascii: "#")) {
                try comment(&cursor)
            } else {
                result.samples.append(try sample(&cursor))
            }
        } catch {
            result.skip(line: number, reason: error)
        }
    }

    /// `# HELP name text`, `# TYPE name type`, or any other comment (ignored).
    private mutating func comment(_ c: inout ByteCursor) throws(Malformed) {
        c.skipBlanks()
        let keyword = c.token()
        let isHelp = c.bytes(keyword, equal: "HELP")
        guard isHelp || c.bytes(keyword, equal: "TYPE") else { return }
        c.skipBlanks()
        // A bare `# HELP` is a comment, as in Prometheus' own parser.
        guard !c.isAtEnd else { return }
        let nameRange = c.metricName()
        guard !nameRange.isEmpty, c.isAtEnd || c.isAtBlank else {
            throw Malformed("invalid metric name in HELP or TYPE line")
        }
        let name = String(decoding: c.slice(nameRange), as: UTF8.self)
        c.skipBlanks()
        if isHelp {
            try help(of: name, &c)
        } else {
            try type(of: name, &c)
        }
    }

    private mutating func help(of name: String, _ c: inout ByteCursor) throws(Malformed) {
        // `# HELP name` with no text says nothing.
        guard !c.isAtEnd else { return }
        guard result.families[name]?.help == nil else { throw Malformed("second HELP line for a metric") }
        let text = try ByteCursor.unescape(c.slice(c.rest()), labelValue: false, into: &scratch)
        result.families[name, default: MetricFamily(name: name)].help = String(decoding: text, as: UTF8.self)
    }

    private mutating func type(of name: String, _ c: inout ByteCursor) throws(Malformed) {
        let word = c.token()
        c.skipBlanks()
        guard c.isAtEnd else { throw Malformed("unexpected text after the metric type") }
        guard let type = MetricType(rawValue: String(decoding: c.slice(word), as: UTF8.self)) else {
            throw Malformed("unknown metric type")
        }
        guard typed.insert(name).inserted else { throw Malformed("second TYPE line for a metric") }
        result.families[name, default: MetricFamily(name: name)].type = type
    }

    /// `name{labels} value [timestamp]`.
    private mutating func sample(_ c: inout ByteCursor) throws(Malformed) -> PrometheusSample {
        let nameRange = c.metricName()
        guard !nameRange.isEmpty, c.isAtEnd || c.isAtBlank || c.isAt(UInt8(ascii: "{")) else {
            throw Malformed("invalid metric name")
        }
        c.skipBlanks()
        let labels = c.take(UInt8(ascii: "{")) ? try labelSet(&c) : []
        c.skipBlanks()
        let valueRange = c.token()
        guard !valueRange.isEmpty else { throw Malformed("missing value") }
        guard let value = NumberParsing.double(c.slice(valueRange)) else { throw Malformed("value is not a number") }
        c.skipBlanks()
        var timestamp: Int64?
        if !c.isAtEnd {
            timestamp = NumberParsing.int64(c.slice(c.token()))
            guard timestamp != nil else { throw Malformed("timestamp is not an integer") }
            c.skipBlanks()
            guard c.isAtEnd else { throw Malformed("unexpected text after the timestamp") }
        }
        let name = internedName(nameRange)
        try checkBounds(of: name, labels)
        return PrometheusSample(name: name, labels: labels, value: value, timestampMillis: timestamp)
    }

    /// The labels after `{`, through `}`; a trailing comma is allowed.
    private mutating func labelSet(_ c: inout ByteCursor) throws(Malformed) -> [PrometheusSample.Label] {
        var labels: [PrometheusSample.Label] = []
        labels.reserveCapacity(4)
        while true {
            c.skipBlanks()
            if c.take(UInt8(ascii: "}")) { return labels }
            let nameRange = c.labelName()
            guard !nameRange.isEmpty else {
                throw c.isAtEnd ? Malformed("unterminated label set") : Malformed("invalid label name")
            }
            c.skipBlanks()
            guard c.take(UInt8(ascii: "=")) else { throw Malformed("expected '=' after a label name") }
            c.skipBlanks()
            guard c.take(UInt8(ascii: "\"")) else { throw Malformed("expected '\"' before a label value") }
            let value = try c.quotedValue(scratch: &scratch)
            let name = String(decoding: c.slice(nameRange), as: UTF8.self)
            guard name != "__name__" else { throw Malformed("label name __name__ is reserved") }
            guard !labels.contains(where: { $0.name == name }) else { throw Malformed("duplicate label name") }
            labels.append(PrometheusSample.Label(name, value))
            c.skipBlanks()
            if !c.take(UInt8(ascii: ",")) {
                guard c.take(UInt8(ascii: "}")) else {
                    throw c.isAtEnd ? Malformed("unterminated label set") : Malformed("expected ',' or '}' after a label value")
                }
                return labels
            }
        }
    }

    private mutating func internedName(_ range: Range<Int>) -> String {
        if let last = lastName, bytes[last.bytes].elementsEqual(bytes[range]) { return last.string }
        let name = String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
        lastName = (range, name)
        return name
    }

    /// A histogram's `le` and a summary's `quantile` must be numbers: readers sort buckets
    /// and quantiles by them.
    private func checkBounds(of name: String, _ labels: [PrometheusSample.Label]) throws(Malformed) {
        for label in labels where label.name == "le" || label.name == "quantile" {
            let bounded: MetricType = label.name == "le" ? .histogram : .summary
            guard result.family(ofSampleNamed: name).type == bounded else { continue }
            var text = label.value
            guard text.withUTF8(NumberParsing.double) != nil else {
                throw Malformed("le or quantile label is not a number")
            }
        }
    }
}
