import Testing
import Telemetry

@Suite struct CountTextTests {
    @Test func oneIsSingularEverythingElsePlural() {
        #expect(CountText.of(0, "line") == "0 lines")
        #expect(CountText.of(1, "line") == "1 line")
        #expect(CountText.of(2, "write") == "2 writes")
        #expect(CountText.of(1, "entry", plural: "entries") == "1 entry")
        #expect(CountText.of(5, "entry", plural: "entries") == "5 entries")
    }
}
