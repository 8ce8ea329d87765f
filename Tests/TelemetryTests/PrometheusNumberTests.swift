import Testing
import Telemetry

/// Sample values and timestamps, each read as the only sample of a one-line exposition.
/// Values must be exact (correctly rounded), not merely close.
@Suite struct PrometheusNumberTests {
    @Test(arguments: [
        ("NaN", Double.nan), ("nan", .nan),
        ("+Inf", .infinity), ("-Inf", -.infinity), ("Inf", .infinity), ("inf", .infinity),
        ("+Infinity", .infinity), ("-infinity", -.infinity),
        ("0", 0), ("-0", 0), ("08", 8), ("5.", 5), (".23", 0.23), ("-3e3", -3000),
        ("1e-06", 1e-06), ("1.5E+3", 1500), ("1.7560473e+06", 1_756_047.3), ("3.14e+42", 3.14e42),
        ("0.1", 0.1), ("0.000005", 0.000005), ("2.000165", 2.000165), ("1700000000.000123", 1_700_000_000.000123),
        ("123456789012345", 123_456_789_012_345),
        // Beyond 2^53 a Double rounds: 2^53 + 1 to even, UInt64.max up to 2^64.
        ("9007199254740993", 9_007_199_254_740_992), ("18446744073709551615", 18_446_744_073_709_551_616),
        ("123456789012345678901234567890", 1.2345678901234568e29), ("0.30000000000000004441", 0.30000000000000004),
        ("2.2250738585072014e-308", 2.2250738585072014e-308), ("4.9e-324", .leastNonzeroMagnitude),
        ("1e-400", 0),
    ])
    func value(text: String, expected: Double) throws {
        let sample = try #require(parse("m \(text)\n").samples.first)
        if expected.isNaN {
            #expect(sample.value.isNaN)
        } else {
            #expect(sample.value == expected)
        }
    }

    @Test(arguments: [
        ("0", Int64(0)), ("-3982045", -3_982_045), ("+5", 5), ("1395066363000", 1_395_066_363_000),
        ("9223372036854775807", .max), ("-9223372036854775808", .min),
    ])
    func timestamp(text: String, expected: Int64) {
        #expect(parse("m 1 \(text)\n").samples.first?.timestampMillis == expected)
    }

    /// NaN equals NaN for samples, so `==` stays reflexive.
    @Test func nanSamplesAreEqual() {
        let sample = PrometheusSample(name: "m", value: .nan)
        #expect(sample == sample)
        #expect(sample != PrometheusSample(name: "m", value: 0))
    }
}
