import Testing
@testable import Dashboard

/// `--threshold` expressions: the forms README lists, in base units, and one error per mistake
/// naming its column.
@Suite struct ThresholdParserTests {
    @Test func theIssuesExamplesInBaseUnits() throws {
        let cases: [(String, RunMetric, String?, ThresholdExpression.Comparison, Double, Bool)] = [
            ("stall_max<10ms", .stallMax, nil, .less, 0.010, false),
            ("buffer_full_rate{dir=c2s}<1/s", .bufferFullRate, "c2s", .less, 1, false),
            ("throughput_mean>5Gbit/s", .throughputMean, nil, .greater, 625_000_000, false),
            ("drops==0", .drops, nil, .equal, 0, false),
            ("p99(stall)<2ms", .stallP99, nil, .less, 0.002, false),
            ("regression(throughput_mean)<5%", .throughputMean, nil, .less, 0.05, true),
            ("regression(p99(stall)) <= 10 %", .stallP99, nil, .lessOrEqual, 0.10, true),
            ("throughput_min{dir=\"s2c\"} >= 800 MB/s", .throughputMin, "s2c", .greaterOrEqual, 800e6, false),
            ("max(retries) != 3", .retriesMax, nil, .notEqual, 3, false),
            ("stall_p50 < 250us", .stallP50, nil, .less, 250e-6, false),
            ("bytes > 1.5GiB", .bytes, nil, .greater, 1.5 * 1024 * 1024 * 1024, false),
            ("rate(retries)<2.5e3", .retriesRate, nil, .less, 2500, false),
        ]
        for (text, metric, dir, comparison, value, regression) in cases {
            let e = try ThresholdParser.parse(text)
            #expect(e.metric == metric, "\(text)")
            #expect(e.direction == dir, "\(text)")
            #expect(e.comparison == comparison, "\(text)")
            #expect(abs(e.value - value) <= abs(value) * 1e-12, "\(text): \(e.value)")
            #expect(e.regression == regression, "\(text)")
            #expect(e.text == text)
        }
    }

    @Test func eachMistakeIsOneErrorNamingItsColumn() {
        let cases: [(String, Int, String)] = [
            ("stall_max<10xs", 13, "unknown unit \"xs\" for stall_max (expected ns, us, µs, ms, s)"),
            ("stal_max<1", 1, "unknown metric \"stal_max\""),
            ("stall_max 10ms", 11, "expected a comparison (<, <=, >, >=, ==, !=)"),
            ("drops<", 7, "expected a number"),
            ("buffer_full{dir=up}<1", 17, "dir must be c2s or s2c, got \"up\""),
            ("buffer_full{stream=3}<1", 13, "unknown label \"stream\" (only dir=c2s or dir=s2c)"),
            ("p95(stall)<1ms", 1, "unknown aggregation p95(stall)"),
            ("drops<1/s", 8, "unknown unit \"/s\" for drops (expected none (a count))"),
            ("p99(stall<1ms", 10, "expected )"),
            ("", 1, "expected a metric name"),
            ("stall_max<", 11, "expected a number"),
            ("stall_max", 10, "expected a comparison (<, <=, >, >=, ==, !=) at the end"),
        ]
        for (text, column, start) in cases {
            do {
                _ = try ThresholdParser.parse(text)
                Issue.record("\(text) parsed")
            } catch {
                #expect(error.column == column, "\(text): \(error)")
                #expect(error.message.hasPrefix(start), "\(text): \(error.message)")
                #expect(error.description.hasPrefix("invalid threshold '\(text)' at column \(column): "))
                #expect(!error.description.contains("\n"))
            }
        }
    }

    @Test func onlyCrossingsThatCannotBeUndoneAreFinal() throws {
        #expect(try ThresholdParser.parse("stall_max<10ms").failureIsFinal)
        #expect(try ThresholdParser.parse("drops==0").failureIsFinal)
        #expect(try ThresholdParser.parse("throughput_min>1Gbit/s").failureIsFinal)
        #expect(try !ThresholdParser.parse("throughput_mean>1Gbit/s").failureIsFinal)
        #expect(try !ThresholdParser.parse("p99(stall)<2ms").failureIsFinal)
        #expect(try !ThresholdParser.parse("stall_max>10ms").failureIsFinal)
    }
}

@Suite struct DashboardThresholdsTests {
    @Test func aDashboardListsThresholds() throws {
        let json = #"{"title": "t", "panels": [], "thresholds": ["drops==0", "p99(stall) < 2ms"]}"#
        let definition = try DashboardDefinition(json: Array(json.utf8), file: "x.json")
        #expect(definition.thresholds.map(\.text) == ["drops==0", "p99(stall) < 2ms"])
        #expect(definition.thresholds[1].metric == .stallP99 && definition.thresholds[1].value == 0.002)
    }
}
