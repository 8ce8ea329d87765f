import Testing
import Telemetry

/// The rules where bptop once disagreed with Prometheus' reference parser (issue 18): quoted
/// UTF-8 names, TYPE lines after samples, negative histogram counts and gauge histograms,
/// beyond the reference's own table (ReferenceConformanceTests).
@Suite struct PrometheusTextParserReferenceRulesTests {
    /// Quoted names outside and inside the braces, with escapes, next to plain ones.
    @Test func quotedNames() {
        let parsed = parse(#"""
            "quoted.outside"{a="1"} 2
            "quoted.outside" 3 17
            {"only.inside"} 4
            {a="1", "name.after.label" , } 5
            plain{"label with spaces"="x","\"q\"\\\n"="y"} 6
            {"ünïcödé_名前",le="x"} 7

            """#)
        #expect(parsed.skippedExamples == [])
        #expect(parsed.samples == [
            PrometheusSample(name: "quoted.outside", labels: labels(["a": "1"]), value: 2),
            PrometheusSample(name: "quoted.outside", value: 3, timestampMillis: 17),
            PrometheusSample(name: "only.inside", value: 4),
            PrometheusSample(name: "name.after.label", labels: labels(["a": "1"]), value: 5),
            PrometheusSample(name: "plain", labels: labels(["label with spaces": "x", "\"q\"\\\n": "y"]), value: 6),
            PrometheusSample(name: "ünïcödé_名前", labels: labels(["le": "x"]), value: 7),
        ])
    }

    /// HELP and TYPE lines name quoted families too, and type their samples.
    @Test func quotedFamilies() {
        let parsed = parse(#"""
            # HELP "my.counter" Requests, \"quoted\".
            # TYPE "my.counter" counter
            {"my.counter",code="200"} 10
            # TYPE "my.hist" histogram
            {"my.hist_bucket",le="+Inf"} 3

            """#)
        #expect(parsed.skippedExamples == [])
        #expect(parsed.families["my.counter"] == MetricFamily(name: "my.counter", type: .counter, help: #"Requests, "quoted"."#))
        #expect(parsed.samples.map { parsed.family(of: $0).name } == ["my.counter", "my.hist"])
        #expect(parsed.samples.map { parsed.family(of: $0).type } == [.counter, .histogram])
    }

    /// A TYPE line for a family that already has samples would retype them: it is skipped,
    /// and the samples after it keep the type the first ones had.
    @Test func typeAfterSamplesIsSkipped() {
        let parsed = parse(#"""
            m 1
            # TYPE m counter
            m 2
            # HELP h Documented first: a TYPE may still follow, until a sample does.
            # TYPE h gauge
            h 3
            # HELP late Samples first.
            late 4
            # TYPE late gauge
            # TYPE s summary
            # TYPE s_count gauge
            x_total 5
            # TYPE x counter
            h2_count 6
            # TYPE h2 summary
            # TYPE Upper COUNTER
            # TYPE gh gauge_histogram

            """#)
        #expect(parsed.skippedExamples == [
            .init(line: 2, reason: "TYPE line after the metric's samples"),
            .init(line: 9, reason: "TYPE line after the metric's samples"),
            // `s_count` is the summary's count series, whose family already has a TYPE.
            .init(line: 11, reason: "second TYPE line for a metric"),
            // It would make the samples of `x_total` a counter's after they were read.
            .init(line: 13, reason: "TYPE line after the metric's samples"),
            // Likewise for `h2_count`, which would become the count of the summary `h2`.
            .init(line: 15, reason: "TYPE line after the metric's samples"),
        ])
        #expect(parsed.samples.map { parsed.family(of: $0).type } == [.untyped, .untyped, .gauge, .untyped, .untyped, .untyped])
        #expect(parsed.families["Upper"]?.type == .counter)
        #expect(parsed.families["gh"]?.type == .gaugehistogram)
    }

    /// Negative bucket counts and sample counts of a histogram are skipped; other negative
    /// values (a histogram's sum, a summary's count, a plain gauge) are data.
    @Test func negativeHistogramCountsAreSkipped() {
        let parsed = parse(#"""
            # TYPE h histogram
            h_bucket{le="1"} -412
            h_bucket{le="2"} -0.5
            h_bucket{le="+Inf"} -0
            h_count -2693
            h_count -Inf
            h_count NaN
            h_sum -5
            # TYPE gh gaugehistogram
            gh_bucket{le="1"} -3
            gh_sum -1
            # TYPE s summary
            s_count -1
            g_count -1

            """#)
        #expect(parsed.skippedExamples.map(\.line) == [2, 3, 5, 6, 10])
        #expect(Set(parsed.skippedExamples.map(\.reason)) == ["negative count in a histogram"])
        #expect(parsed.samples.map(\.name) == ["h_bucket", "h_count", "h_sum", "gh_sum", "s_count", "g_count"])
    }

    /// A gauge histogram's buckets need numeric `le`s like a histogram's.
    @Test func gaugeHistogramBoundsAreNumbers() {
        let parsed = parse(#"""
            # TYPE gh GAUGEHISTOGRAM
            gh_bucket{le="bla"} 1
            gh_bucket{le="0.5"} 1

            """#)
        #expect(parsed.skippedExamples == [.init(line: 2, reason: "le or quantile label is not a number")])
        #expect(parsed.samples.map { parsed.family(of: $0).type } == [.gaugehistogram])
    }
}
