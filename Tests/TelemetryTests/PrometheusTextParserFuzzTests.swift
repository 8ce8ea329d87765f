import SeededRandom
import Testing
import Telemetry

/// Cut and damaged expositions: the parser must never crash, and every line the damage did
/// not touch must still come out as the same sample.
@Suite struct PrometheusTextParserFuzzTests {
    /// Family names differ in several bytes, so a few random byte edits cannot turn one
    /// family's HELP or TYPE line into a duplicate of another's.
    static let corpus = #"""
        # HELP http_requests_total The total number of HTTP requests.
        # TYPE http_requests_total counter
        http_requests_total{method="post",code="200"} 1027 1395066363000
        http_requests_total{method="post",code="400"}    3 1395066363000
        msdos_file_access_time_seconds{path="C:\\DIR\\FILE.TXT",error="Cannot find file:\n\"FILE.TXT\""} 1.458255915e9
        metric_without_timestamp_and_labels 12.47
        something_weird{problem="division by zero"} +Inf -3982045
        # HELP latency_seconds A histogram\nwith a two-line help.
        # TYPE latency_seconds histogram
        latency_seconds_bucket{le="0.05",} 24054
        latency_seconds_bucket{le="1e-3"} 33444
        latency_seconds_bucket{le="+Inf"} 144320
        latency_seconds_sum 53423
        latency_seconds_count 144320
        # TYPE rpc_summary summary
        rpc_summary{quantile="0.01"} NaN
        rpc_summary_sum 1.7560473e+07
        rpc_summary_count 18446744073709551616
          spaced:name_total	{ a = "b" }	-Inf	-1
        empty_set{} 1.5E+3 0
        """# + "\r\ncrlf_line -0.000001\r\n"

    static var corpusLines: [[UInt8]] {
        corpus.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map(Array.init)
    }

    /// The sample each corpus line parses to on its own (nil for comments).
    static var expectedSamples: [PrometheusSample?] {
        corpusLines.map { PrometheusTextParser.parse($0 + [UInt8(ascii: "\n")]).samples.first }
    }

    @Test func corpusIsValid() {
        let parsed = PrometheusTextParser.parse(Self.corpus.utf8)
        #expect(parsed.skippedLines == 0)
        #expect(parsed.samples == Self.expectedSamples.compactMap { $0 })
        #expect(parsed.samples.count == 16)
        #expect(parsed.samples.last == PrometheusSample(name: "crlf_line", value: -0.000001))
    }

    /// Cut at every byte: all complete lines before the cut parse; the cut line, which has no
    /// newline, is skipped (unless the cut left only blanks of it).
    @Test func everyCut() {
        let bytes = Array(Self.corpus.utf8)
        let expected = Self.expectedSamples
        for cut in 0...bytes.count {
            let prefix = bytes[..<cut]
            let completeLines = prefix.count { $0 == UInt8(ascii: "\n") }
            let complete = expected[..<completeLines].compactMap { $0 }
            let parsed = PrometheusTextParser.parse(prefix)
            #expect(parsed.samples == complete, "cut at \(cut)")
            #expect(parsed.skippedLines <= 1, "cut at \(cut)")
        }
    }

    /// A few thousand rounds of byte edits on random lines, half of them also cut short.
    @Test func damagedLines() {
        var random = SeededGenerator(seed: 0xB0A7_0C0F_FEE5)
        let lines = Self.corpusLines
        let expected = Self.expectedSamples
        for round in 0..<3000 {
            var damaged = lines
            var touched = Set<Int>()
            for _ in 0..<Int.random(in: 1...3, using: &random) {
                let index = Int.random(in: 0..<lines.count, using: &random)
                Self.damage(&damaged[index], using: &random)
                touched.insert(index)
            }
            var bytes = Array(damaged.joined(separator: [UInt8(ascii: "\n")]))
            var kept = lines.count
            if round.isMultiple(of: 2) {
                bytes.removeLast(Int.random(in: 0...bytes.count, using: &random))
                kept = bytes.count { $0 == UInt8(ascii: "\n") } + 1
                touched.insert(kept - 1)
            }
            let untouched = (0..<kept).filter { !touched.contains($0) }.compactMap { expected[$0] }
            let parsed = PrometheusTextParser.parse(bytes)
            #expect(parsed.samples.contains(subsequence: untouched), "round \(round)")
            #expect(parsed.samples.count + parsed.skippedLines <= untouched.count + touched.count, "round \(round)")
        }
    }

    /// Handed on as read (`parse(_:each:)`), the same samples come out in the same order, each
    /// typed by the declarations so far as the whole scrape's declarations type it, and the
    /// rest of the result is the same with no samples kept.
    @Test func handedOnSamplesAreTheKeptOnes() {
        var random = SeededGenerator(seed: 0x5EED_0F_DA7A)
        let lines = Self.corpusLines
        for round in 0..<1000 {
            var damaged = lines
            for _ in 0..<Int.random(in: 0...3, using: &random) {
                Self.damage(&damaged[Int.random(in: 0..<lines.count, using: &random)], using: &random)
            }
            let bytes = Array(damaged.joined(separator: [UInt8(ascii: "\n")]))
            let kept = PrometheusTextParser.parse(bytes)
            var handed: [PrometheusSample] = []
            var types: [MetricType] = []
            let rest = PrometheusTextParser.parse(bytes) { sample, declared in
                handed.append(sample)
                types.append(declared.family(of: sample).type)
            }
            #expect(handed == kept.samples, "round \(round)")
            #expect(types == kept.samples.map { kept.family(of: $0).type }, "round \(round)")
            var withoutSamples = kept
            withoutSamples.samples = []
            #expect(rest == withoutSamples, "round \(round)")
            #expect(rest.shape == ExpositionShape(samples: 0, skippedLines: kept.skippedLines))
        }
    }

    /// Random bytes, newlines included: nothing to keep, but nothing may crash either.
    @Test func randomBytes() {
        var random = SeededGenerator(seed: 42)
        for _ in 0..<500 {
            let bytes = (0..<Int.random(in: 0...300, using: &random)).map { _ in
                Self.noise.randomElement(using: &random)!
            }
            let parsed = PrometheusTextParser.parse(bytes)
            let lines = bytes.count { $0 == UInt8(ascii: "\n") } + 1
            #expect(parsed.samples.count + parsed.skippedLines <= lines)
        }
    }

    /// Bytes that matter to the grammar, plus invalid UTF-8; a newline only where lines may split.
    static let noise: [UInt8] = Array(#"{}",=\ #:_+-.eEaZ09"#.utf8) + [0x09, 0x0D, 0xBD, 0xC3, 0xFF, 0x00, 0x0A]

    static func damage(_ line: inout [UInt8], using random: inout SeededGenerator) {
        let byte = noise.dropLast().randomElement(using: &random)!
        let at = Int.random(in: 0...line.count, using: &random)
        switch Int.random(in: 0..<4, using: &random) {
        case 0 where at < line.count: line[at] = byte
        case 1 where at < line.count: line.remove(at: at)
        case 2: line.removeLast(line.count - at)
        default: line.insert(byte, at: at)
        }
    }
}

extension Array where Element: Equatable {
    /// Whether `other` appears in this array in order, not necessarily adjacent.
    func contains(subsequence other: [Element]) -> Bool {
        var rest = other[...]
        for element in self where element == rest.first {
            rest.removeFirst()
        }
        return rest.isEmpty
    }
}
