import Testing
import Telemetry

/// Whole expositions from the format's documentation and from Prometheus' own parser tests,
/// checked sample by sample.
@Suite struct PrometheusTextParserTests {
    @Test func blankInputHasNothing() {
        #expect(parse("") == ParsedExposition())
        #expect(parse("\n\n  \n\t\r\n") == ParsedExposition())
    }

    /// The example of the exposition format documentation.
    @Test func documentationExample() {
        let parsed = parse(#"""
            # HELP http_requests_total The total number of HTTP requests.
            # TYPE http_requests_total counter
            http_requests_total{method="post",code="200"} 1027 1395066363000
            http_requests_total{method="post",code="400"}    3 1395066363000

            # Escaping in label values:
            msdos_file_access_time_seconds{path="C:\\DIR\\FILE.TXT",error="Cannot find file:\n\"FILE.TXT\""} 1.458255915e9

            # Minimalistic line:
            metric_without_timestamp_and_labels 12.47

            # A weird metric from before the epoch:
            something_weird{problem="division by zero"} +Inf -3982045

            # A histogram, which has a pretty complex representation in the text format:
            # HELP http_request_duration_seconds A histogram of the request duration.
            # TYPE http_request_duration_seconds histogram
            http_request_duration_seconds_bucket{le="0.05"} 24054
            http_request_duration_seconds_bucket{le="+Inf"} 144320
            http_request_duration_seconds_sum 53423
            http_request_duration_seconds_count 144320

            # Finally a summary, which has a complex representation, too:
            # HELP rpc_duration_seconds A summary of the RPC duration in seconds.
            # TYPE rpc_duration_seconds summary
            rpc_duration_seconds{quantile="0.01"} 3102
            rpc_duration_seconds{quantile="0.99"} 76656
            rpc_duration_seconds_sum 1.7560473e+07
            rpc_duration_seconds_count 2693

            """#)
        #expect(parsed.skippedLines == 0)
        #expect(parsed.samples == [
            PrometheusSample(name: "http_requests_total", labels: labels(["method": "post", "code": "200"]),
                             value: 1027, timestampMillis: 1_395_066_363_000),
            PrometheusSample(name: "http_requests_total", labels: labels(["method": "post", "code": "400"]),
                             value: 3, timestampMillis: 1_395_066_363_000),
            PrometheusSample(name: "msdos_file_access_time_seconds",
                             labels: labels(["path": #"C:\DIR\FILE.TXT"#, "error": "Cannot find file:\n\"FILE.TXT\""]),
                             value: 1.458255915e9),
            PrometheusSample(name: "metric_without_timestamp_and_labels", value: 12.47),
            PrometheusSample(name: "something_weird", labels: labels(["problem": "division by zero"]),
                             value: .infinity, timestampMillis: -3_982_045),
            PrometheusSample(name: "http_request_duration_seconds_bucket", labels: labels(["le": "0.05"]), value: 24054),
            PrometheusSample(name: "http_request_duration_seconds_bucket", labels: labels(["le": "+Inf"]), value: 144_320),
            PrometheusSample(name: "http_request_duration_seconds_sum", value: 53423),
            PrometheusSample(name: "http_request_duration_seconds_count", value: 144_320),
            PrometheusSample(name: "rpc_duration_seconds", labels: labels(["quantile": "0.01"]), value: 3102),
            PrometheusSample(name: "rpc_duration_seconds", labels: labels(["quantile": "0.99"]), value: 76656),
            PrometheusSample(name: "rpc_duration_seconds_sum", value: 1.7560473e+07),
            PrometheusSample(name: "rpc_duration_seconds_count", value: 2693),
        ])
        #expect(parsed.families == [
            "http_requests_total": MetricFamily(name: "http_requests_total", type: .counter,
                                                help: "The total number of HTTP requests."),
            "http_request_duration_seconds": MetricFamily(name: "http_request_duration_seconds", type: .histogram,
                                                          help: "A histogram of the request duration."),
            "rpc_duration_seconds": MetricFamily(name: "rpc_duration_seconds", type: .summary,
                                                 help: "A summary of the RPC duration in seconds."),
        ])
        #expect(parsed.samples.map { parsed.family(of: $0).name } == [
            "http_requests_total", "http_requests_total", "msdos_file_access_time_seconds",
            "metric_without_timestamp_and_labels", "something_weird",
            "http_request_duration_seconds", "http_request_duration_seconds", "http_request_duration_seconds",
            "http_request_duration_seconds", "rpc_duration_seconds", "rpc_duration_seconds",
            "rpc_duration_seconds", "rpc_duration_seconds",
        ])
    }

    /// Odd spacing, escapes in help text and label values, `}` glued to the value, a
    /// trailing comma, indented comments and `# HELP` after the samples it describes.
    @Test func whitespaceAndEscapes() {
        let parsed = parse(#"""
            # A normal comment.
            #
            # TYPE name counter
            name{labelname="val1",basename="basevalue"} NaN
            name {labelname="val2",basename="base\"v\\al\nue"} 0.23 1234567890
            # HELP name two-line\n doc  str\\ing

             # HELP  name2  	doc str"ing 2
              #    TYPE    name2 gauge
            name2{labelname="val2"	,basename   =   "basevalue2"		} +Inf 54321
            name2{ labelname = "val1" , }-Inf

            """#)
        #expect(parsed.skippedLines == 0)
        #expect(parsed.samples == [
            PrometheusSample(name: "name", labels: labels(["labelname": "val1", "basename": "basevalue"]), value: .nan),
            PrometheusSample(name: "name", labels: labels(["labelname": "val2", "basename": "base\"v\\al\nue"]),
                             value: 0.23, timestampMillis: 1_234_567_890),
            PrometheusSample(name: "name2", labels: labels(["labelname": "val2", "basename": "basevalue2"]),
                             value: .infinity, timestampMillis: 54321),
            PrometheusSample(name: "name2", labels: labels(["labelname": "val1"]), value: -.infinity),
        ])
        #expect(parsed.families == [
            "name": MetricFamily(name: "name", type: .counter, help: "two-line\n doc  str\\ing"),
            "name2": MetricFamily(name: "name2", type: .gauge, help: #"doc str"ing 2"#),
        ])
    }

    /// A summary mixed with other series, `_sum`/`_count` lines before and after the
    /// quantiles, and bare `# HELP` lines that are only comments.
    @Test func summaryFamilies() {
        let parsed = parse(#"""
            # TYPE my_summary summary
            my_summary{n1="val1",quantile="0.5"} 110
            decoy -1 -2
            my_summary_count{n1="val1"} 42
            my_summary_sum{n1="val1"} 4711 2
            fake_sum{n1="val1"} 2001
            # TYPE another_summary summary
            another_summary_count{n2="val2",n1="val1"} 20
            my_summary_sum{n1="val2"} 08 15
              my_summary{n1="val1",n2="val2",quantile="-12.34",} NaN
            # HELP
            # HELP my_summary

            """#)
        #expect(parsed.skippedLines == 0)
        #expect(parsed.samples.map(\.value).filter { !$0.isNaN } == [110, -1, 42, 4711, 2001, 20, 8])
        #expect(parsed.samples.map(\.timestampMillis) == [nil, -2, nil, 2, nil, nil, 15, nil])
        #expect(parsed.samples.map { parsed.family(of: $0) } == [
            MetricFamily(name: "my_summary", type: .summary),
            MetricFamily(name: "decoy"),
            MetricFamily(name: "my_summary", type: .summary),
            MetricFamily(name: "my_summary", type: .summary),
            MetricFamily(name: "fake_sum"),
            MetricFamily(name: "another_summary", type: .summary),
            MetricFamily(name: "my_summary", type: .summary),
            MetricFamily(name: "my_summary", type: .summary),
        ])
        #expect(parsed.samples.last?[label: "quantile"] == "-12.34")
    }

    /// Which family a sample name belongs to, given the declarations seen.
    @Test(arguments: [
        ("h_bucket", "h", MetricType.histogram), ("h_sum", "h", .histogram), ("h_count", "h", .histogram),
        ("s", "s", .summary), ("s_sum", "s", .summary), ("s_count", "s", .summary),
        ("s_bucket", "s_bucket", .untyped),
        ("c_total", "c", .counter), ("classic_total", "classic_total", .counter),
        ("g_total", "g_total", .untyped), ("g", "g", .gauge),
        ("helped", "helped", .untyped), ("undeclared_count", "undeclared_count", .untyped),
        ("gh_bucket", "gh", .gaugehistogram), ("gh_sum", "gh", .gaugehistogram), ("gh_count", "gh", .gaugehistogram),
        ("gh", "gh", .gaugehistogram), ("gh_total", "gh_total", .untyped),
    ])
    func familyOfSample(sample: String, family: String, type: MetricType) {
        let parsed = parse("""
            # TYPE h histogram
            # TYPE s summary
            # TYPE c counter
            # TYPE classic_total counter
            # TYPE g gauge
            # TYPE gh gaugehistogram
            # HELP helped Documented but not typed.

            """)
        #expect(parsed.family(ofSampleNamed: sample).name == family)
        #expect(parsed.family(ofSampleNamed: sample).type == type)
    }

    @Test func helpWithoutTypeIsUntyped() {
        let parsed = parse("# HELP helped Documented\\\\but \\\"not\\\" typed.\\tx\\\nhelped 1\n")
        #expect(parsed.family(ofSampleNamed: "helped")
                == MetricFamily(name: "helped", type: .untyped, help: #"Documented\but "not" typed.\tx\"#))
    }

    /// CRLF line ends, tabs around the line, colons in names, `{}`; a last line without its
    /// newline may be cut (`3` of `31`), so, as in Prometheus, it is skipped.
    @Test func lineEndsAndNames() {
        let parsed = parse("\t  ns:sub:metric_total{} 7 \t\r\n:leading_colon 1\r\n_under{a=\"\"} 2\r\nlast_line 3")
        #expect(parsed.skippedExamples == [.init(line: 4, reason: "no newline at the end of the last line")])
        #expect(parsed.samples == [
            PrometheusSample(name: "ns:sub:metric_total", value: 7),
            PrometheusSample(name: ":leading_colon", value: 1),
            PrometheusSample(name: "_under", labels: labels(["a": ""]), value: 2),
        ])
        #expect(parse("a 1\n \t").skippedLines == 0)
    }

    @Test func labelValuesKeepUnicode() {
        let parsed = parse(#"m{name_1="Björn",name_2="佖佥",tab="a\#tb"} 3.14e+42"# + "\n")
        #expect(parsed.samples == [
            PrometheusSample(name: "m", labels: labels(["name_1": "Björn", "name_2": "佖佥", "tab": "a\tb"]),
                             value: 3.14e42),
        ])
    }

    /// Any `Collection<UInt8>` works, contiguous or not.
    @Test func parsesNonContiguousBytes() {
        let bytes = "a 1\nb 2\n".utf8.lazy.map { $0 }
        #expect(PrometheusTextParser.parse(bytes).samples.map(\.name) == ["a", "b"])
    }
}
