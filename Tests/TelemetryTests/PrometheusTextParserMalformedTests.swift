import Testing
import Telemetry

/// Malformed lines are skipped and counted, with a reason, and never stop the parse.
@Suite struct PrometheusTextParserMalformedTests {
    @Test(arguments: [
        (#"@invalidmetric{label="bla"} 3.14 2"#, "invalid metric name"),
        (#"{label="bla"} 3.14 2"#, "invalid metric name"),
        (#"{} 3.14"#, "invalid metric name"),
        (#"foo"bar" 1"#, "invalid metric name"),
        (#"{"one.name","another.name"} 3.14"#, "two metric names in one label set"),
        (#"{"a\xc5z",label="bla"} 3.14"#, "invalid escape sequence in quoted name"),
        (#"{"metric.name".label="bla"} 3.14"#, "expected '=' after a label name"),
        (#"metric{"dotted.label"} 1"#, "expected '=' after a label name"),
        (#"{""} 1"#, "empty quoted name"),
        (#"metric{""="v"} 1"#, "empty quoted name"),
        (#""unterminated 1"#, "unterminated quoted name"),
        (#"{"new"#, "unterminated quoted name"),
        ("met-ric 1", "invalid metric name"),
        ("9metric 1", "invalid metric name"),
        (#"metric{label="\t"} 3.14"#, "invalid escape sequence in label value"),
        (#"metric{label="new"#, "unterminated label value"),
        (#"metric{label="ends in a backslash\"#, "unterminated label value"),
        (#"metric{label="bla""#, "unterminated label set"),
        (#"metric{label="bla","#, "unterminated label set"),
        ("metric{ ", "unterminated label set"),
        (#"metric{@="bla"} 3.14"#, "invalid label name"),
        ("metric{,} 1", "invalid label name"),
        (#"metric{a="1",,} 1"#, "invalid label name"),
        (#"metric{__name__="bla"} 3.14"#, "label name __name__ is reserved"),
        (#"metric{label="bla",label="bla"} 3.14"#, "duplicate label name"),
        (#"metric{label+="bla"} 3.14"#, "expected '=' after a label name"),
        ("metric{label=bla} 3.14", "expected '\"' before a label value"),
        (#"metric{label="bla"+} 3.14"#, "expected ',' or '}' after a label value"),
        (#"metric{a="1" b="2"} 3.14"#, "expected ',' or '}' after a label value"),
        (#"metric{a="1"} "#, "missing value"),
        ("metric", "missing value"),
        (#"metric{label="bla"} blubb"#, "value is not a number"),
        (#"metric{a="1"}} 1"#, "value is not a number"),
        ("foo 1_2", "value is not a number"),
        ("foo 0x1p-3", "value is not a number"),
        ("foo 0X1", "value is not a number"),
        ("foo 0b1", "value is not a number"),
        ("foo 1e", "value is not a number"),
        ("foo 1e+", "value is not a number"),
        ("foo .", "value is not a number"),
        ("foo -", "value is not a number"),
        ("foo 1.2.3", "value is not a number"),
        ("foo -NaN", "value is not a number"),
        ("foo 1e400", "value is not a number"),
        ("foo -1e400", "value is not a number"),
        ("foo Infinite", "value is not a number"),
        ("foo 1,5", "value is not a number"),
        (#"metric{label="bla"} 3.14 2.72"#, "timestamp is not an integer"),
        ("metric 1 9223372036854775808", "timestamp is not an integer"),
        ("metric 1 -9223372036854775809", "timestamp is not an integer"),
        ("metric 1 1e3", "timestamp is not an integer"),
        ("metric 1 -", "timestamp is not an integer"),
        (#"metric{label="bla"} 3.14 2 3"#, "unexpected text after the timestamp"),
        ("# TYPE metric bla", "unknown metric type"),
        ("# TYPE metric gauge-histogram", "unknown metric type"),
        ("# TYPE metric counter gauge", "unexpected text after the metric type"),
        ("# TYPE met-ric counter", "invalid metric name in HELP or TYPE line"),
        (#"# TYPE "metric.name\t" counter"#, "invalid metric name in HELP or TYPE line"),
        (#"# HELP "metric.name"x help"#, "invalid metric name in HELP or TYPE line"),
    ])
    func malformedLine(line: String, reason: String) {
        let parsed = parse(line + "\n")
        #expect(parsed.samples.isEmpty)
        #expect(parsed.skippedLines == 1)
        #expect(parsed.skippedExamples == [ParsedExposition.SkippedLine(line: 1, reason: reason)])
    }

    @Test func invalidUTF8InALabelValue() {
        let parsed = PrometheusTextParser.parse(Array(#"metric{l=""#.utf8) + [0xBD] + Array(#""} 3.14"#.utf8) + [0x0A])
        #expect(parsed.skippedExamples == [.init(line: 1, reason: "label value is not valid UTF-8")])
    }

    /// Rules that depend on earlier lines: one HELP and one TYPE per family, and numeric
    /// `le`/`quantile` only where the family is a histogram/summary.
    @Test func contextRules() {
        let parsed = parse(#"""
            # HELP metric one
            # HELP metric two
            # TYPE metric counter
            # TYPE metric untyped
            # TYPE h histogram
            h_bucket{le="bla"} 1
            h_bucket{le="0x1p-3"} 1
            h_bucket{le="1e-3"} 1
            # TYPE s summary
            s{quantile="bla"} 1
            s{quantile="0.5"} 1
            not_a_histogram_bucket{le="bla"} 1

            """#)
        #expect(parsed.skippedExamples == [
            .init(line: 2, reason: "second HELP line for a metric"),
            .init(line: 4, reason: "second TYPE line for a metric"),
            .init(line: 6, reason: "le or quantile label is not a number"),
            .init(line: 7, reason: "le or quantile label is not a number"),
            .init(line: 10, reason: "le or quantile label is not a number"),
        ])
        #expect(parsed.families["metric"] == MetricFamily(name: "metric", type: .counter, help: "one"))
        #expect(parsed.samples.map(\.name) == ["h_bucket", "s", "not_a_histogram_bucket"])
    }

    /// A garbled scrape: every bad line is counted once, and every good line around it is kept.
    @Test func garbledInputHasAnExactSkipCount() {
        let parsed = parse(#"""
            # TYPE ok counter
            ok_total 1
            ok_total{a="unterminated} 2
            garbage in
            ok_total{a="x"} 3
            {} 4
            ok_total 5 6 7
            # stray comment: not counted
            ok_total{a="\q"} 8

            ok_total{a="y"} 9 -1
            ok_total 1O
            ok_total{a="z"} 10

            """#)
        #expect(parsed.skippedLines == 6)
        #expect(parsed.skippedExamples.map(\.line) == [3, 4, 6, 7, 9, 12])
        #expect(parsed.samples.map(\.value) == [1, 3, 9, 10])
    }

    /// A huge garbage input keeps only the first examples but counts every line.
    @Test func skippedExamplesAreCapped() {
        let parsed = parse(String(repeating: "bad line\n", count: 50) + "good 1\n")
        #expect(parsed.skippedLines == 50)
        #expect(parsed.skippedExamples.map(\.line) == Array(1...ParsedExposition.maxSkippedExamples))
        #expect(parsed.samples == [PrometheusSample(name: "good", value: 1)])
    }
}
