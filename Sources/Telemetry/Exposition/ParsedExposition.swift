/// Everything a scrape said, minus the lines that could not be read.
public struct ParsedExposition: Equatable, Sendable {
    /// A line that was skipped, with a 1-based line number and why, for error messages.
    public struct SkippedLine: Equatable, Sendable {
        public var line: Int
        public var reason: String

        public init(line: Int, reason: String) {
            self.line = line
            self.reason = reason
        }
    }

    /// At most this many `skippedExamples` are kept: enough to explain what is wrong with
    /// a scrape without letting a garbage input grow an unbounded error list.
    public static let maxSkippedExamples = 20

    /// Families declared by `# HELP` or `# TYPE` lines, by family name. Samples without
    /// such a line have no entry here; `family(of:)` reports them as untyped.
    public var families: [String: MetricFamily] = [:]
    /// Samples in the order they appeared.
    public var samples: [PrometheusSample] = []
    /// How many malformed lines were skipped.
    public var skippedLines = 0
    /// The first `maxSkippedExamples` of them.
    public var skippedExamples: [SkippedLine] = []

    public init() {}

    /// The family a sample belongs to.
    public func family(of sample: PrometheusSample) -> MetricFamily {
        family(ofSampleNamed: sample.name)
    }

    /// The family of a sample name: the family declared with that exact name; else the
    /// histogram (or gauge histogram) `foo` for `foo_bucket`, `foo_sum`, `foo_count`; the
    /// summary `foo` for `foo_sum`, `foo_count`; the counter `foo` for `foo_total`
    /// (OpenMetrics-style declarations); else an untyped family of that name.
    public func family(ofSampleNamed name: String) -> MetricFamily {
        if let declared = families[name] { return declared }
        if let whole = family(ofPart: name) { return whole }
        if name.hasSuffix("_total"), let counter = families[String(name.utf8.dropLast(6))!], counter.type == .counter {
            return counter
        }
        return MetricFamily(name: name)
    }

    /// The declared summary or histogram whose `_sum`, `_count` or `_bucket` series `name` is.
    func family(ofPart name: String) -> MetricFamily? {
        for suffix in ["_bucket", "_sum", "_count"] where name.hasSuffix(suffix) {
            let base = String(name.utf8.dropLast(suffix.utf8.count))!
            if let declared = families[base], declared.type.partSuffixes.contains(suffix) { return declared }
        }
        return nil
    }

    mutating func skip(line: Int, reason: Malformed) {
        skippedLines += 1
        if skippedExamples.count < Self.maxSkippedExamples {
            skippedExamples.append(SkippedLine(line: line, reason: reason.description))
        }
    }
}
