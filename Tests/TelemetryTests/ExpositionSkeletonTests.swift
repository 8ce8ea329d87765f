import Foundation
import Testing
@testable import Telemetry

/// A body that repeats the previous one's lines but for its values is read by its values
/// alone; whenever the skeleton gives values they are exactly what a whole parse gives, and any
/// other difference sends the body to the whole parse.
@Suite struct ExpositionSkeletonTests {
    static let golden = try! String(contentsOf: ExpositionGoldenTests.directory.appendingPathComponent("one-stream.prom"), encoding: .utf8)

    private func skeleton(_ text: String) throws -> ExpositionSkeleton {
        let body = Array(text.utf8)
        return try #require(ExpositionSkeleton(body: body, shape: PrometheusTextParser.parse(body).shape))
    }

    /// The values of `text` by the skeleton of `base`, checked against a whole parse of it.
    private func values(_ base: String, _ text: String) throws -> [Double]? {
        let values = try skeleton(base).values(of: Array(text.utf8))
        if let values {
            let whole = PrometheusTextParser.parse(Array(text.utf8))
            let before = PrometheusTextParser.parse(Array(base.utf8))
            #expect(whole.skippedLines == 0)
            #expect(whole.samples.map(\.name) == before.samples.map(\.name))
            #expect(whole.samples.map(\.labels) == before.samples.map(\.labels))
            #expect(whole.families == before.families)
            #expect(zip(values, whole.samples.map(\.value)).allSatisfy { $0 == $1 || ($0.isNaN && $1.isNaN) } && values.count == whole.samples.count)
        }
        return values
    }

    @Test func newValuesOfTheSameLinesAreRead() throws {
        let base = "# TYPE x counter\nx{a=\"1\"} 5\nx{a=\"2\"}   7\n\n# HELP y why\ny 1.5\n"
        let next = "# TYPE x counter\nx{a=\"1\"} 123456789012\nx{a=\"2\"}   0\n\n# HELP y why\ny NaN\n"
        let read = try #require(try values(base, next))
        #expect(read[0] == 123_456_789_012 && read[1] == 0 && read[2].isNaN)
        #expect(try values(base, base) == [5, 7, 1.5])
    }

    @Test func labelValuesWithQuotesEscapesAndWideGlyphsRepeatByteForByte() throws {
        let base = "# TYPE x counter\nx{peer=\"世界 \\\"q\\\" \\\\ é\",a=\"1\"} 5\nx{peer=\"🙂\"} 1\n"
        let next = "# TYPE x counter\nx{peer=\"世界 \\\"q\\\" \\\\ é\",a=\"1\"} 6\nx{peer=\"🙂\"} 2\n"
        #expect(try values(base, next) == [6, 2])
        #expect(PrometheusTextParser.parse(Array(next.utf8)).samples.first?[label: "peer"] == "世界 \"q\" \\ é")
        // The same text with one glyph changed is another series: parsed whole.
        #expect(try values(base, next.replacingOccurrences(of: "🙂", with: "🙃")) == nil)
    }

    @Test(arguments: [
        "# TYPE x counter\nx{a=\"1\"} 5\nx{a=\"3\"} 7\n",  // a label value changed
        "# TYPE x counter\nx{a=\"1\"} 5\n",  // a line gone
        "# TYPE x counter\nx{a=\"1\"} 5\nx{a=\"2\"} 7\nx{a=\"3\"} 9\n",  // a line added
        "# TYPE x gauge\nx{a=\"1\"} 5\nx{a=\"2\"} 7\n",  // a comment changed
        "# TYPE x counter\nx{a=\"1\"} 5 1700000000000\nx{a=\"2\"} 7\n",  // a timestamp
        "# TYPE x counter\nx{a=\"1\"} 5 \nx{a=\"2\"} 7\n",  // a blank after the value
        "# TYPE x counter\nx{a=\"1\"} 5\r\nx{a=\"2\"} 7\n",  // a carriage return
        "# TYPE x counter\nx{a=\"1\"} -5\nx{a=\"2\"} 7\n",  // negative: the family decides, so parse whole
        "# TYPE x counter\nx{a=\"1\"} five\nx{a=\"2\"} 7\n",  // not a number
        "# TYPE x counter\nx{a=\"1\"} \nx{a=\"2\"} 7\n",  // no value
        "# TYPE x counter\nx{a=\"1\"} 5\nx{a=\"2\"} 7",  // the last line cut before its newline
        "# TYPE x counter\nx{a=\"1\"} 5\nx{a=\"2\"} 7\n\n",  // one more (blank) line
    ])
    func anyOtherDifferenceIsParsedWhole(text: String) throws {
        #expect(try values("# TYPE x counter\nx{a=\"1\"} 5\nx{a=\"2\"} 7\n", text) == nil)
    }

    @Test func aBodyWithSkippedLinesOrTimestampsHasNoSkeleton() {
        for text in ["x 1\nnot a sample line\n", "x 1 1700000000000\n"] {
            let body = Array(text.utf8)
            #expect(ExpositionSkeleton(body: body, shape: PrometheusTextParser.parse(body).shape) == nil)
        }
    }

    /// The agent's own text with its numbers changed at random, and sometimes a label or a value
    /// made wrong: the skeleton's values equal the whole parse's whenever it gives any (checked
    /// in `values`), and it gives them exactly when only numbers changed.
    @Test func randomEditsOfTheAgentsText() throws {
        var (read, refused) = (0, 0)
        for seed in 1...60 {
            var state = UInt64(seed) &* 0x9E37_79B9_7F4A_7C15
            func next(_ n: Int) -> Int {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                return Int((state >> 33) % UInt64(n))
            }
            var lines = Self.golden.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            var onlyNumbers = true
            for i in lines.indices where !lines[i].hasPrefix("#") && !lines[i].isEmpty {
                var parts = lines[i].split(separator: " ").map(String.init)
                switch next(400) {
                case 0 where parts[0].contains("stream=\"1\""):
                    parts[0] = parts[0].replacingOccurrences(of: "stream=\"1\"", with: "stream=\"2\"")
                    onlyNumbers = false
                case 1: parts[parts.count - 1] = "abc"; onlyNumbers = false
                default: parts[parts.count - 1] = String(next(1_000_000_000))
                }
                lines[i] = parts.joined(separator: " ")
            }
            let values = try values(Self.golden, lines.joined(separator: "\n"))
            #expect((values != nil) == onlyNumbers, "seed \(seed)")
            if values != nil { read += 1 } else { refused += 1 }
        }
        #expect(read >= 5 && refused >= 5)
    }

    /// The skeleton keeps a hash per line, not the line: any one byte changed, added or cut
    /// anywhere in a line (its last bytes too, read outside the 8-byte words) changes it.
    @Test func everyChangeOfALineChangesItsHash() {
        let hash = { (bytes: [UInt8]) in bytes.withUnsafeBytes { LineHash.of($0) } }
        for line in Self.golden.split(separator: "\n").prefix(40).map({ Array($0.utf8) }) {
            let original = hash(line)
            for i in line.indices {
                for bit in 0..<8 {
                    var changed = line
                    changed[i] ^= 1 << bit
                    #expect(hash(changed) != original, "\(String(decoding: line, as: UTF8.self)) byte \(i) bit \(bit)")
                }
            }
            #expect(hash(Array(line.dropLast())) != original)
            #expect(hash(line + [0]) != original)
        }
    }
}
