import Testing
@testable import Dashboard

@Suite struct CellBufferTests {
    @Test func writesAreClippedToTheBufferAndTheLimit() {
        var buffer = CellBuffer(width: 6, height: 2)
        buffer.put("hello", x: -2, y: 0)
        buffer.put("abcdef", x: 3, y: 1, maxWidth: 2)
        buffer.put("unseen", x: 0, y: 2)
        buffer[7, 0] = Cell("x")
        #expect(TextBackend.render(buffer) == "llo\n   ab")
        #expect(buffer[-1, -1] == .blank)
    }

    @Test func changesListOnlyTheCellsThatDiffer() {
        let before = draw(width: 4, height: 2) { buffer, _ in buffer.put("abcd", x: 0, y: 0) }
        var after = before
        after.put("X", x: 1, y: 0)
        after.put("y", x: 3, y: 1, style: Style(reverse: true))
        let changes = after.changes(since: before)
        #expect(changes.map { "\($0.x),\($0.y),\($0.cell.character)" } == ["1,0,X", "3,1,y"])
        #expect(changes.last?.cell.style == Style(reverse: true))
        #expect(after.changes(since: after).isEmpty)
    }

    @Test func aSizeChangeRedrawsEverything() {
        let changes = CellBuffer(width: 3, height: 2).changes(since: CellBuffer(width: 2, height: 2))
        #expect(changes.count == 6)
    }

    @Test func textBackendMapsStylesAndColors() {
        let buffer = draw(width: 8, height: 1) { buffer, _ in
            buffer.put([Span("ab", Style(fg: .red, bold: true)), Span("cd", Style(dim: true)),
                        Span("ef", Style(fg: .cyan, reverse: true)), Span("g ")], x: 0, y: 0)
        }
        #expect(TextBackend.render(buffer) == "abcdefg")
        #expect(TextBackend.renderStyles(buffer) == "bbddRR")
        #expect(TextBackend.renderColors(buffer) == "rr..cc")
    }
}
