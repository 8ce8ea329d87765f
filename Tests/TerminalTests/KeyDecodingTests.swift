import Dashboard
import Testing
@testable import Terminal

@Suite struct KeyDecodingTests {
    private func codes(_ s: String) -> [Int32] { s.utf8.map { Int32($0) } }

    @Test func plainKeys() {
        #expect(CursesTerminal.keys(from: codes("jk[]q")) == [.char("j"), .char("k"), .char("["), .char("]"), .char("q")])
        #expect(CursesTerminal.keys(from: [27]) == [.escape])
        #expect(CursesTerminal.keys(from: [3, 13]) == [.ctrlC, .enter])
    }

    @Test func undecodedEscapeSequencesAreReadWhole() {
        #expect(CursesTerminal.keys(from: [27] + codes("[1~")) == [.home])
        #expect(CursesTerminal.keys(from: [27] + codes("[4~j")) == [.end, .char("j")])
        #expect(CursesTerminal.keys(from: [27] + codes("OA")) == [.up])
        #expect(CursesTerminal.keys(from: [27] + codes("[200~")) == [], "unknown sequences are dropped, not typed")
        #expect(CursesTerminal.keys(from: [27] + codes("[1")) == [], "a cut sequence is dropped")
    }
}
