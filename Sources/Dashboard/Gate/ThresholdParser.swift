/// Reads `METRIC[{label=value,…}] OP VALUE[UNIT]` (README "Gates"). Every mistake is one
/// error naming the column it was found at, so a CI log shows what to fix.
public enum ThresholdParser {
    public struct Failure: Error, Equatable, CustomStringConvertible {
        /// 1-based column in the expression.
        public let column: Int
        public let message: String
        public let expression: String
        public var description: String { "invalid threshold '\(expression)' at column \(column): \(message)" }
    }

    public static func parse(_ text: String) throws(Failure) -> ThresholdExpression {
        var reader = Reader(text)
        func fail(_ message: String, at column: Int? = nil) -> Failure {
            Failure(column: (column ?? reader.position) + 1, message: message, expression: text)
        }
        reader.skipSpaces()
        let nameStart = reader.position
        var name = reader.word()
        guard !name.isEmpty else { throw fail("expected a metric name (\(metricNames))") }
        var regression = false
        var metric: RunMetric?
        if reader.take("(") {
            reader.skipSpaces()
            let innerStart = reader.position
            let inner = reader.word()
            if name == "regression" {
                regression = true
                name = inner
                if reader.take("(") {
                    let base = reader.word()
                    metric = RunMetric.aggregation(inner, of: base)
                    guard metric != nil else { throw fail("unknown aggregation \(inner)(\(base)) (\(aggregations))", at: innerStart) }
                    guard reader.take(")") else { throw fail("expected )") }
                } else {
                    metric = RunMetric(rawValue: inner)
                    guard metric != nil else { throw fail("unknown metric \"\(inner)\" (\(metricNames))", at: innerStart) }
                }
            } else {
                metric = RunMetric.aggregation(name, of: inner)
                guard metric != nil else { throw fail("unknown aggregation \(name)(\(inner)) (\(aggregations))", at: nameStart) }
            }
            reader.skipSpaces()
            guard reader.take(")") else { throw fail("expected )") }
        } else {
            metric = RunMetric(rawValue: name)
            guard metric != nil else { throw fail("unknown metric \"\(name)\" (\(metricNames))", at: nameStart) }
        }
        reader.skipSpaces()
        var direction: String?
        if reader.take("{") {
            while true {
                reader.skipSpaces()
                if reader.take("}") { break }
                let labelStart = reader.position
                let label = reader.word()
                guard label == "dir" else {
                    throw fail(label.isEmpty ? "expected a label name" : "unknown label \"\(label)\" (only dir=c2s or dir=s2c)", at: labelStart)
                }
                reader.skipSpaces()
                guard reader.take("=") else { throw fail("expected = after \(label)") }
                reader.skipSpaces()
                let valueStart = reader.position
                _ = reader.take("\"")
                let value = reader.word()
                _ = reader.take("\"")
                guard value == "c2s" || value == "s2c" else { throw fail("dir must be c2s or s2c, got \"\(value)\"", at: valueStart) }
                direction = value
                reader.skipSpaces()
                if reader.take(",") { continue }
                guard reader.take("}") else { throw fail("expected , or }") }
                break
            }
            reader.skipSpaces()
        }
        let operatorStart = reader.position
        guard let comparison = reader.comparison() else {
            throw fail(reader.atEnd ? "expected a comparison (<, <=, >, >=, ==, !=) at the end" : "expected a comparison (<, <=, >, >=, ==, !=)",
                       at: operatorStart)
        }
        reader.skipSpaces()
        guard let number = reader.number() else { throw fail("expected a number") }
        reader.skipSpaces()
        let unitStart = reader.position
        let unit = reader.rest().trimmingTrailingSpaces
        let kind = metric!.kind
        guard let factor = ThresholdUnits.factor(unit, for: kind, regression: regression) else {
            throw fail("unknown unit \"\(unit)\" for \(regression ? "regression(\(metric!.rawValue))" : metric!.rawValue) (expected \(ThresholdUnits.accepted(for: kind, regression: regression)))",
                       at: unitStart)
        }
        return ThresholdExpression(text: text, metric: metric!, regression: regression, direction: direction,
                                   comparison: comparison, value: number * factor)
    }

    /// For error messages: the names a threshold may use.
    static let metricNames = "one of " + RunMetric.allCases.map(\.rawValue).joined(separator: ", ")
    static let aggregations = "p50(stall), p99(stall), max(stall), mean(throughput), min(throughput), max(throughput), rate(buffer_full), rate(retries), max(retries)"
}

/// A cursor over the expression's characters.
private struct Reader {
    let characters: [Character]
    var position = 0

    init(_ text: String) { characters = Array(text) }

    var atEnd: Bool { position >= characters.count }

    mutating func skipSpaces() {
        while !atEnd, characters[position] == " " { position += 1 }
    }

    mutating func take(_ c: Character) -> Bool {
        guard !atEnd, characters[position] == c else { return false }
        position += 1
        return true
    }

    /// Letters, digits and `_`.
    mutating func word() -> String {
        let start = position
        while !atEnd, characters[position].isLetter || characters[position].isNumber || characters[position] == "_" { position += 1 }
        return String(characters[start..<position])
    }

    mutating func comparison() -> ThresholdExpression.Comparison? {
        for c in ThresholdExpression.Comparison.allCases.sorted(by: { $0.rawValue.count > $1.rawValue.count }) {
            let symbol = Array(c.rawValue)
            if position + symbol.count <= characters.count, Array(characters[position..<position + symbol.count]) == symbol {
                position += symbol.count
                return c
            }
        }
        return nil
    }

    /// `12`, `0.5`, `1e3`, `2.5e-3` (no sign: figures are never negative, a regression's limit neither).
    mutating func number() -> Double? {
        let start = position
        var sawDigit = false
        while !atEnd, characters[position].isASCII, characters[position].isNumber { position += 1; sawDigit = true }
        if !atEnd, characters[position] == "." {
            position += 1
            while !atEnd, characters[position].isASCII, characters[position].isNumber { position += 1; sawDigit = true }
        }
        guard sawDigit else { position = start; return nil }
        if !atEnd, characters[position] == "e" || characters[position] == "E" {
            let mark = position
            position += 1
            if !atEnd, characters[position] == "-" || characters[position] == "+" { position += 1 }
            let digits = position
            while !atEnd, characters[position].isASCII, characters[position].isNumber { position += 1 }
            if position == digits { position = mark }
        }
        guard let value = Double(String(characters[start..<position])), value.isFinite else { position = start; return nil }
        return value
    }

    mutating func rest() -> String {
        defer { position = characters.count }
        return String(characters[position...])
    }
}

private extension String {
    var trimmingTrailingSpaces: String {
        var s = self
        while s.hasSuffix(" ") { s.removeLast() }
        return s
    }
}
