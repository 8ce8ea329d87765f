@testable import Dashboard
import Testing

/// Label values from any exporter may hold CJK, emoji, accents and right-to-left text: every
/// column stays where it belongs, and nothing stale is left behind.
@Suite struct WideCharacterTests {
    static let labels = ["东京-α", "🚀 fast", "cafe\u{301}", "👩🏽‍💻 dev", "שלום", "a\u{202E}b", "tab\there", "ok"]

    @Test(arguments: [("a", 1), ("东", 2), ("🚀", 2), ("e\u{301}", 1), ("👩🏽‍💻", 2), ("ש", 1), ("\u{202E}", 0), ("❤\u{FE0F}", 2)])
    func displayWidth(character: Character, width: Int) {
        #expect(character.displayWidth == width)
    }

    @Test func aTableKeepsItsColumnsWithWideLabels() {
        let table = TableModel(columns: [TableColumn(title: "name", width: 8, alignRight: false),
                                         TableColumn(title: "rate", width: 9, alignRight: true)],
                               rows: Self.labels.enumerated().map { i, label in
                                   TableRow(key: "\(i)", cells: [.text(label), .number(1_000_000, .bitsPerSecond)])
                               })
        let buffer = draw(width: 18, height: 9) { Table(table: table).render(into: &$0, area: $1, symbols: .unicode) }
        expectSnapshot(TextBackend.render(buffer), """
            name▲         rate
            东京-α   8.00 Mb/s
            🚀 fast  8.00 Mb/s
            café     8.00 Mb/s
            👩🏽‍💻 dev   8.00 Mb/s
            שלום     8.00 Mb/s
            ab       8.00 Mb/s
            tab�here 8.00 Mb/s
            ok       8.00 Mb/s
            """)
        // Every rate starts in the same terminal column: cells, not characters, are counted.
        for y in 1..<9 {
            #expect(buffer[9, y].character == "8" && !buffer[9, y].isContinuation)
        }
    }

    @Test func aWideCharacterThatDoesNotFitIsCutWithTheEllipsis() {
        #expect("东京东京".fitted(to: 4, ellipsis: "…") == "东 …")
        #expect("东京".fitted(to: 4, ellipsis: "…") == "东京")
        #expect("东京".fitted(to: 5, alignRight: true, ellipsis: "…") == " 东京")
    }

    @Test func overwritingHalfAWideCharacterLeavesNoStaleHalf() {
        var buffer = CellBuffer(width: 6, height: 1)
        buffer.put("东京京", x: 0, y: 0)
        buffer.put("8.0", x: 1, y: 0)
        #expect(TextBackend.render(buffer) == " 8.0京")
        let before = buffer
        buffer.put("78.00", x: 0, y: 0)
        #expect(TextBackend.render(buffer) == "78.00")
        #expect(buffer.changes(since: before).map(\.x) == [0, 4, 5])
    }
}

/// What `--once` and `bptop report` print: the same display widths as the cell grid, and no
/// label value that can break a row or reach the terminal as a control sequence.
@Suite struct PlainTableTextTests {
    @Test func columnsAlignByDisplayWidthAndControlsAreNeutralised() {
        let lines = PlainTable.lines([["series", "rate"], ["东京", "1/s"], ["a\nb\u{1B}[31m", "2/s"], ["👩🏽‍💻\u{202E}x", "3/s"]]) { $0 == 1 }
        #expect(lines == ["series    rate", "东京       1/s", "a�b�[31m   2/s", "👩🏽‍💻x        3/s"])
        #expect(lines.map { $0.dropLast(3).displayWidth } == [11, 11, 11, 11])
    }
}
