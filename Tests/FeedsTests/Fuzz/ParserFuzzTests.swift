import Telemetry
import Testing

/// A slice of the parser fuzzing (ParserFuzzing) small enough for every test run; Scripts/
/// fuzz-parsers runs a million inputs per parser with the same generator.
@Suite struct ParserFuzzTests {
    /// A few seconds each in a debug build: the HTTP and iperf3 inputs are larger and are also
    /// read in pieces.
    @Test(arguments: [(FuzzTarget.prometheus, 1000), (.iperf3, 300), (.http, 300)])
    func slice(target: FuzzTarget, count: Int) {
        let outcome = ParserFuzzing.run(target, count: count, seed: 0xB9_70_9F_22)
        #expect(outcome.inputs == count)
        for failure in outcome.failures {
            Issue.record("\(target) input \(failure.input): \(failure.what): \(String(decoding: failure.bytes.prefix(300), as: UTF8.self))")
        }
    }

    /// The seeds themselves are what they claim: real outputs that read without a skip.
    @Test func seedsReadCleanly() throws {
        #expect(FuzzSeeds.responses.count == 2)
        // One reference input is not UTF-8 and is left out.
        #expect(FuzzSeeds.expositions.count == 2 + 65)
        for body in FuzzSeeds.expositions.prefix(2) {
            let parsed = PrometheusTextParser.parse(body)
            #expect(parsed.skippedLines == 0 && parsed.samples.count > 50)
        }
    }
}
