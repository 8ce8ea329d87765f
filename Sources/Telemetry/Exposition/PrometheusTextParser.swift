/// Reads Prometheus text exposition format 0.0.4 (what `/metrics` endpoints serve), with the
/// quoted UTF-8 metric and label names that exporters send when asked for
/// `escaping=allow-utf-8` (`{"my.metric","label.name"="value"} 1`).
///
/// A pure function from bytes to values, so any exporter's output can be replayed in tests.
/// Where Prometheus' reference parser (prometheus/common `expfmt`) rejects a line, this parser
/// rejects the same line; but it skips and counts that line rather than the whole scrape, so
/// one bad series from an exporter does not blank a whole dashboard.
public enum PrometheusTextParser {
    public static func parse(_ bytes: some Collection<UInt8>) -> ParsedExposition {
        parse(bytes, handing: nil)
    }

    /// Parses `bytes`, handing each sample to `each` as it is read instead of keeping it, with
    /// the declarations read so far: for a sample, those of the whole scrape, since a TYPE line
    /// after its family's samples is refused. For a reader that stores samples its own way, so a
    /// large scrape is never held twice (a list of 61,000 samples was 17 MB). The result has
    /// the declarations and skipped lines, and no samples.
    public static func parse(_ bytes: some Collection<UInt8>, each: (PrometheusSample, ParsedExposition) -> Void) -> ParsedExposition {
        withoutActuallyEscaping(each) { parse(bytes, handing: $0) }
    }

    private static func parse(_ bytes: some Collection<UInt8>, handing each: ((PrometheusSample, ParsedExposition) -> Void)?) -> ParsedExposition {
        let parse = { (buffer: UnsafeBufferPointer<UInt8>) in Self.parse(buffer: buffer, handing: each) }
        if let parsed = bytes.withContiguousStorageIfAvailable(parse) { return parsed }
        return Array(bytes).withUnsafeBufferPointer(parse)
    }

    private static func parse(buffer: UnsafeBufferPointer<UInt8>, handing each: ((PrometheusSample, ParsedExposition) -> Void)?) -> ParsedExposition {
        var lines = LineParser(bytes: buffer, handing: each)
        var start = 0
        var number = 0
        while start < buffer.count {
            var end = start
            while end < buffer.count, buffer[end] != UInt8(ascii: "\n") { end += 1 }
            number += 1
            lines.parse(line: start..<end, number: number, terminated: end < buffer.count)
            start = end + 1
        }
        return lines.result
    }
}

/// Parses one line at a time into `result`.
private struct LineParser {
    let bytes: UnsafeBufferPointer<UInt8>
    var result = ParsedExposition()
    private var declarations = FamilyDeclarations()
    /// Reused for quoted strings with escapes.
    private var scratch: [UInt8] = []
    /// Consecutive samples mostly share a name: reuse its string instead of allocating another.
    private var lastName: (bytes: Range<Int>, string: String)?
    /// The type `checkBounds` found for the last sample name with an `le` or `quantile` label:
    /// a histogram's buckets come in runs, and resolving `foo_bucket` to `foo` builds strings
    /// (a third of the parse of a bpagent scrape). Forgotten at every HELP or TYPE line.
    private var lastBounded: (name: String, type: MetricType)?

    /// Where samples go when they are not kept in `result`.
    private let each: ((PrometheusSample, ParsedExposition) -> Void)?

    init(bytes: UnsafeBufferPointer<UInt8>, handing each: ((PrometheusSample, ParsedExposition) -> Void)?) {
        self.bytes = bytes
        self.each = each
    }

    /// `terminated`: the line ends in a newline. The last line of a document without one may
    /// have been cut anywhere (`12` of `1234`), so like Prometheus bptop does not read it.
    mutating func parse(line: Range<Int>, number: Int, terminated: Bool) {
        var cursor = ByteCursor(bytes, line: line)
        guard !cursor.isAtEnd else { return }
        do throws(Malformed) {
            guard terminated else { throw Malformed("no newline at the end of the last line") }
            if cursor.take(UInt8(ascii: "#")) {
                lastBounded = nil
                try comment(&cursor)
            } else {
                let sample = try sample(&cursor)
                declarations.noteSample(named: sample.name, in: result)
                if let each { each(sample, result) } else { result.samples.append(sample) }
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
        guard let name = try? metricName(&c), c.isAtEnd || c.isAtBlank else {
            throw Malformed("invalid metric name in HELP or TYPE line")
        }
        c.skipBlanks()
        // `# HELP name` or `# TYPE name` with nothing after the name says nothing.
        guard !c.isAtEnd else { return }
        if isHelp {
            let text = try ByteCursor.unescape(c.slice(c.rest()), strict: nil, into: &scratch)
            try declarations.declare(help: String(decoding: text, as: UTF8.self), of: name, in: &result)
        } else {
            let word = c.token()
            c.skipBlanks()
            guard c.isAtEnd else { throw Malformed("unexpected text after the metric type") }
            guard let type = MetricType(keyword: c.slice(word)) else { throw Malformed("unknown metric type") }
            try declarations.declare(type, of: name, in: &result)
        }
    }

    /// `name{labels} value [timestamp]`, where a line that starts with `{` names its metric
    /// inside the braces.
    private mutating func sample(_ c: inout ByteCursor) throws(Malformed) -> PrometheusSample {
        var name: String?
        if !c.isAt(UInt8(ascii: "{")) {
            name = try metricName(&c)
            guard c.isAtEnd || c.isAtBlank || c.isAt(UInt8(ascii: "{")) else { throw Malformed("invalid metric name") }
            c.skipBlanks()
        }
        let labels = c.take(UInt8(ascii: "{")) ? try labelSet(&c, metricName: &name) : []
        guard let name else { throw Malformed("invalid metric name") }
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
        try checkBounds(of: name, labels)
        if value < 0 { try checkCount(of: name, value) }
        return PrometheusSample(name: name, labels: labels, value: value, timestampMillis: timestamp)
    }

    /// A metric name, `[a-zA-Z_:][a-zA-Z0-9_:]*` or quoted.
    private mutating func metricName(_ c: inout ByteCursor) throws(Malformed) -> String {
        if c.take(UInt8(ascii: "\"")) { return try quotedName(&c) }
        let range = c.metricName()
        guard !range.isEmpty else { throw Malformed("invalid metric name") }
        return internedName(range)
    }

    /// The labels after `{`, through `}`; a trailing comma is allowed. When the line has no
    /// `metricName` yet, one name in the set without `=` is it (`{"my.metric",a="1"}`).
    private mutating func labelSet(_ c: inout ByteCursor, metricName: inout String?) throws(Malformed) -> [PrometheusSample.Label] {
        let namesMetric = metricName == nil
        var labels: [PrometheusSample.Label] = []
        labels.reserveCapacity(4)
        while true {
            c.skipBlanks()
            if c.take(UInt8(ascii: "}")) { return labels }
            let name = try labelName(&c)
            c.skipBlanks()
            if namesMetric, c.isAt(UInt8(ascii: ",")) || c.isAt(UInt8(ascii: "}")) {
                guard metricName == nil else { throw Malformed("two metric names in one label set") }
                metricName = name
            } else {
                guard c.take(UInt8(ascii: "=")) else { throw Malformed("expected '=' after a label name") }
                c.skipBlanks()
                guard c.take(UInt8(ascii: "\"")) else { throw Malformed("expected '\"' before a label value") }
                let value = try c.quoted(.labelValue, scratch: &scratch)
                guard name != "__name__" else { throw Malformed("label name __name__ is reserved") }
                guard !labels.contains(where: { $0.name == name }) else { throw Malformed("duplicate label name") }
                labels.append(PrometheusSample.Label(name, value))
            }
            c.skipBlanks()
            if !c.take(UInt8(ascii: ",")) {
                guard c.take(UInt8(ascii: "}")) else {
                    throw c.isAtEnd ? Malformed("unterminated label set") : Malformed("expected ',' or '}' after a label value")
                }
                return labels
            }
        }
    }

    /// A label name, `[a-zA-Z_][a-zA-Z0-9_]*` or quoted.
    private mutating func labelName(_ c: inout ByteCursor) throws(Malformed) -> String {
        if c.take(UInt8(ascii: "\"")) { return try quotedName(&c) }
        let range = c.labelName()
        guard !range.isEmpty else {
            throw c.isAtEnd ? Malformed("unterminated label set") : Malformed("invalid label name")
        }
        return String(decoding: c.slice(range), as: UTF8.self)
    }

    private mutating func quotedName(_ c: inout ByteCursor) throws(Malformed) -> String {
        let name = try c.quoted(.name, scratch: &scratch)
        guard !name.isEmpty else { throw Malformed("empty quoted name") }
        return name
    }

    private mutating func internedName(_ range: Range<Int>) -> String {
        if let last = lastName, bytes[last.bytes].elementsEqual(bytes[range]) { return last.string }
        let name = String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
        lastName = (range, name)
        return name
    }

    /// A histogram's `le` and a summary's `quantile` must be numbers: readers sort buckets
    /// and quantiles by them.
    private mutating func checkBounds(of name: String, _ labels: [PrometheusSample.Label]) throws(Malformed) {
        for label in labels where label.name == "le" || label.name == "quantile" {
            let type = lastBounded?.name == name ? lastBounded!.type : result.family(ofSampleNamed: name).type
            lastBounded = (name, type)
            guard label.name == "le" ? type.hasBuckets : type == .summary else { continue }
            var text = label.value
            guard text.withUTF8(NumberParsing.double) != nil else {
                throw Malformed("le or quantile label is not a number")
            }
        }
    }

    /// A histogram's buckets and count are counts of observations: a negative one is not
    /// data (Prometheus rejects it), and quantiles computed from it would be nonsense.
    private func checkCount(of name: String, _ value: Double) throws(Malformed) {
        guard name.hasSuffix("_count") || name.hasSuffix("_bucket") else { return }
        let family = result.family(ofSampleNamed: name)
        guard family.type.hasBuckets, family.name != name else { return }
        throw Malformed("negative count in a histogram")
    }
}
