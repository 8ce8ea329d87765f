import Testing
@testable import Telemetry

@Suite struct ByteWriterTests {
    private func text(_ body: (inout ByteWriter) -> Void) -> String {
        var w = ByteWriter()
        body(&w)
        return String(decoding: w.bytes, as: UTF8.self)
    }

    @Test(arguments: [(UInt64(0), "0"), (7, "7"), (10, "10"), (1234567890, "1234567890"), (UInt64.max, "18446744073709551615")])
    func decimal(value: UInt64, expected: String) {
        #expect(text { $0.append(decimal: value) } == expected)
    }

    @Test(arguments: [(UInt64(0), "0"), (5, "0.000005"), (10, "0.00001"), (1_000_000, "1"), (12_700, "0.0127"), (3_000_456, "3.000456"), (1_500_000, "1.5")])
    func seconds(micros: UInt64, expected: String) {
        #expect(text { $0.append(microsAsSeconds: micros) } == expected)
    }

    @Test func labelEscaping() {
        #expect(text { $0.append(labelValue: "a\\b\"c\nd") } == #"a\\b\"c\nd"#)
    }

    @Test func jsonEscaping() {
        #expect(text { $0.append(jsonString: "q\"\\\n\t\u{01}é") } == #""q\"\\\n\t\u0001é""#)
    }
}
