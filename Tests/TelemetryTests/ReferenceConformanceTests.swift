import Foundation
import Testing
import Telemetry

/// The test table of Prometheus' reference parser (prometheus/common `expfmt/text_parse_test.go`,
/// at the commit Fixtures/expfmt-text-parse.json names), kept as data: every valid document
/// yields exactly the expected samples, and no invalid one yields a sample from the line the
/// reference rejects, nor lets that line change what the other lines mean.
@Suite struct ReferenceConformanceTests {
    @Test func fixtureIsTheWholeTable() {
        #expect(ReferenceFixture.shared.source.commit.count == 40)
        #expect(ReferenceFixture.shared.valid.count == 20)
        #expect(ReferenceFixture.shared.invalid.count == 46)
    }

    @Test(arguments: ReferenceFixture.shared.valid)
    func validDocument(_ document: ReferenceFixture.ValidDocument) {
        let parsed = PrometheusTextParser.parse(document.bytes)
        #expect(parsed.skippedExamples == [])
        #expect(parsed.samples == document.samples.map(\.sample))
        #expect(parsed.samples.map { parsed.family(of: $0).type.rawValue } == document.samples.map(\.type))
        #expect(parsed.samples.map { parsed.family(of: $0).name } == document.samples.map { $0.family ?? $0.name })
        for (name, family) in document.families {
            #expect(parsed.families[name]?.type.rawValue == family.type, "\(name)")
            #expect(parsed.families[name]?.help == family.help, "\(name)")
        }
    }

    @Test(arguments: ReferenceFixture.shared.invalid)
    func invalidDocument(_ document: ReferenceFixture.InvalidDocument) {
        let parsed = PrometheusTextParser.parse(document.bytes)
        #expect(parsed.skippedExamples.contains { $0.line == document.rejectedLine }, "\(parsed.skippedExamples)")
        // The same document with that line left blank: the same samples, of the same types.
        let without = PrometheusTextParser.parse(document.bytes(blankingLine: document.rejectedLine))
        #expect(parsed.samples == without.samples)
        #expect(parsed.samples.map { parsed.family(of: $0) } == without.samples.map { without.family(of: $0) })
    }
}

/// Fixtures/expfmt-text-parse.json, read by path because TelemetryTests declares no resources.
struct ReferenceFixture: Decodable {
    struct Source: Decodable {
        var repository: String
        var commit: String
        var path: String
    }

    struct Sample: Decodable, Sendable {
        var name: String
        var labels: [[String]]
        var value: Value
        var type: String
        var family: String?
        var timestamp: Int64?

        var sample: PrometheusSample {
            PrometheusSample(name: name, labels: labels.map { PrometheusSample.Label($0[0], $0[1]) },
                             value: value.double, timestampMillis: timestamp)
        }
    }

    /// A number, or "NaN", "+Inf", "-Inf", which JSON cannot write as numbers.
    struct Value: Decodable, Sendable {
        var double: Double

        init(from decoder: any Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let number = try? c.decode(Double.self) {
                double = number
            } else {
                let text = try c.decode(String.self)
                double = ["NaN": .nan, "+Inf": .infinity, "-Inf": -.infinity][text]!
            }
        }
    }

    struct Family: Decodable, Sendable {
        var type: String
        var help: String?
    }

    /// A document's bytes: `input`, or `inputBase64` where they are not UTF-8.
    struct Input: Decodable, Sendable {
        var input: String?
        var inputBase64: String?

        var bytes: [UInt8] {
            input.map { Array($0.utf8) } ?? Array(Data(base64Encoded: inputBase64!)!)
        }
    }

    struct ValidDocument: Decodable, Sendable, CustomTestStringConvertible {
        var `case`: String
        var title: String
        var samples: [Sample]
        var families: [String: Family]
        private var input: Input

        var bytes: [UInt8] { input.bytes }
        var testDescription: String { `case` }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            `case` = try c.decode(String.self, forKey: .case)
            title = try c.decode(String.self, forKey: .title)
            samples = try c.decode([Sample].self, forKey: .samples)
            families = try c.decode([String: Family].self, forKey: .families)
            input = try Input(from: decoder)
        }

        private enum CodingKeys: String, CodingKey { case `case`, title, samples, families }
    }

    struct InvalidDocument: Decodable, Sendable, CustomTestStringConvertible {
        var `case`: String
        var rejectedLine: Int
        var referenceError: String
        private var input: Input

        var bytes: [UInt8] { input.bytes }
        var testDescription: String { "\(`case`): \(referenceError)" }

        /// The document with line `number` (1-based) emptied, its newline kept.
        func bytes(blankingLine number: Int) -> [UInt8] {
            var lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
            lines[number - 1] = []
            return Array(lines.joined(separator: [UInt8(ascii: "\n")]))
        }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            `case` = try c.decode(String.self, forKey: .case)
            rejectedLine = try c.decode(Int.self, forKey: .rejectedLine)
            referenceError = try c.decode(String.self, forKey: .referenceError)
            input = try Input(from: decoder)
        }

        private enum CodingKeys: String, CodingKey { case `case`, rejectedLine, referenceError }
    }

    var source: Source
    var valid: [ValidDocument]
    var invalid: [InvalidDocument]

    static let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/expfmt-text-parse.json")

    static let shared = try! JSONDecoder().decode(ReferenceFixture.self, from: Data(contentsOf: url))
}
