import Testing
@testable import Dashboard

@Suite struct PanelTests {
    private func frame(_ title: String, note: String?, width: Int, symbols: SymbolSet = .unicode) -> String {
        TextBackend.render(draw(width: width, height: 3) {
            Panel(title: title, note: note).render(into: &$0, area: $1, symbols: symbols)
        })
    }

    @Test func titleLeftNoteRight() {
        #expect(frame("Throughput", note: "max 12.7 ms", width: 34) == """
            ┌─ Throughput ───── max 12.7 ms ─┐
            │                                │
            └────────────────────────────────┘
            """)
    }

    @Test func theNoteGivesWayThenTheTitleIsCut() {
        #expect(frame("Throughput", note: "max 12.7 ms", width: 20, symbols: .ascii) == """
            +- Throughput -----+
            |                  |
            +------------------+
            """)
        #expect(frame("Throughput", note: nil, width: 12) == """
            ┌─ Throu… ─┐
            │          │
            └──────────┘
            """)
    }

    @Test func asciiStandInsKeepTextReadable() {
        let folded = "a → b ↑↓ 850 µs – …✓".map(SymbolSet.ascii.displayable)
        #expect(String(folded) == "a > b ^v 850 us - ~?")
        #expect(String("→ µs".map(SymbolSet.unicode.displayable)) == "→ µs")
    }
}
