import Testing
@testable import Telemetry

@Suite struct JSONReaderTests {
    @Test func values() {
        let text = #" {"a": [1, -2.5e3, true, false, null], "s": "q\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00", "o": {}} "#
        #expect(JSONReader.parse(Array(text.utf8)) == .object([
            "a": .array([.number(1), .number(-2500), .bool(true), .bool(false), .null]),
            "s": .string("q\"\\/\u{8}\u{c}\n\r\t\u{e9}\u{1F600}"),
            "o": .object([:]),
        ]))
    }

    @Test func byteCountsAreExact() {
        #expect(JSONReader.parse(Array("1457520640123".utf8))?.int64 == 1_457_520_640_123)
    }

    @Test(arguments: ["", "{", "[1,]", "{\"a\" 1}", "{\"a\":1}x", "tru", "+1", "1e999", "\"a\nb\"", "\"\\x\"", "{1:2}",
                      String(repeating: "[", count: 100) + String(repeating: "]", count: 100)])
    func malformedIsNil(text: String) {
        #expect(JSONReader.parse(Array(text.utf8)) == nil)
    }
}

extension JSONReaderTests {
    @Test(arguments: [
        ("{\"a\": }", 1, 7), ("[1,\n 2,\n x]", 3, 2), ("{} extra", 1, 4), ("", 1, 1),
    ])
    func syntaxErrorsSayWhere(text: String, line: Int, column: Int) {
        #expect(JSONReader.read(Array(text.utf8)) == .failure(JSONSyntaxError(line: line, column: column)))
    }
}
