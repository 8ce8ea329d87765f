import Testing
@testable import Dashboard

@Suite struct TableTests {
    private func render(_ table: TableModel, width: Int, height: Int, symbols: SymbolSet = .unicode) -> CellBuffer {
        draw(width: width, height: height) { Table(table: table).render(into: &$0, area: $1, symbols: symbols) }
    }

    @Test func sortArrowSelectionAndFadedRows() {
        let buffer = render(RenderFixtures.table(), width: 50, height: 6)
        expectSnapshot(TextBackend.render(buffer), """
            stream     peer                  ▼rate  full/s
            agent/1/c… 127.0.0.1:5201    10.0 Mb/s  1.50/s
            agent/2/c… 127.0.0.1:5202    20.0 Mb/s       –
            agent/3/c… 127.0.0.1:5203    30.0 Mb/s  4.50/s
            agent/4/c… 127.0.0.1:5204    40.0 Mb/s  6.00/s

            """)
        expectSnapshot(TextBackend.renderStyles(buffer), """
            bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb

            RRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRR
            dddddddddddddddddddddddddddddddddddddddddddddddddd


            """)
    }

    @Test func narrowAreaTruncatesTextColumnsAndScrollsToTheSelection() {
        let buffer = render(RenderFixtures.table(rows: 6, selected: "s5", footnote: "2 streams not matched"),
                            width: 30, height: 4, symbols: .ascii)
        expectSnapshot(TextBackend.render(buffer), """
            stre~ peer       vrate  full/s
            agen~ 127.~  50.0 Mb/s  7.50/s
            rows 5–5 of 6 ↑↓
            2 streams not matched
            """)
        expectSnapshot(TextBackend.renderStyles(buffer), """
            bbbbbbbbbbbbbbbbbbbbbbbbbbbbbb
            RRRRRRRRRRRRRRRRRRRRRRRRRRRRRR
            dddddddddddddddddddddddddddddd
            dddddddddddddddddddddddddddddd
            """)
    }

    @Test func ascendingSortOnATextColumnAndNoSelection() {
        var table = RenderFixtures.table(rows: 3, selected: nil)
        table.sortColumn = 0
        table.sortDescending = false
        let buffer = render(table, width: 40, height: 4)
        expectSnapshot(TextBackend.render(buffer), """
            stream▲    peer             rate  full/s
            agent/1/c… 127.0.0.1…  10.0 Mb/s  1.50/s
            agent/2/c… 127.0.0.1…  20.0 Mb/s       –
            agent/3/c… 127.0.0.1…  30.0 Mb/s  4.50/s
            """)
        expectSnapshot(TextBackend.renderStyles(buffer), """
            bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb


            dddddddddddddddddddddddddddddddddddddddd
            """)
    }

    /// The last rows (a summary's totals) stay under the others, which scroll to the selection;
    /// the line between says which rows are shown and that more are above.
    @Test func pinnedRowsStayAndThePositionLineCountsTheRest() {
        var table = RenderFixtures.table(rows: 6, selected: "s4")
        table.pinnedRows = 2
        let buffer = render(table, width: 40, height: 6)
        expectSnapshot(TextBackend.render(buffer), """
            stream     peer            ▼rate  full/s
            agent/3/c… 127.0.0.1…  30.0 Mb/s  4.50/s
            agent/4/c… 127.0.0.1…  40.0 Mb/s  6.00/s
            rows 3–4 of 4 ↑
            agent/5/c… 127.0.0.1…  50.0 Mb/s  7.50/s
            agent/6/c… 127.0.0.1…  60.0 Mb/s  9.00/s
            """)
        expectSnapshot(TextBackend.renderStyles(buffer), """
            bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb
            dddddddddddddddddddddddddddddddddddddddd
            RRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRR
            dddddddddddddddddddddddddddddddddddddddd


            """)
        // Everything fits: no position line.
        expectSnapshot(TextBackend.render(render(table, width: 40, height: 8)), """
            stream     peer            ▼rate  full/s
            agent/1/c… 127.0.0.1…  10.0 Mb/s  1.50/s
            agent/2/c… 127.0.0.1…  20.0 Mb/s       –
            agent/3/c… 127.0.0.1…  30.0 Mb/s  4.50/s
            agent/4/c… 127.0.0.1…  40.0 Mb/s  6.00/s
            agent/5/c… 127.0.0.1…  50.0 Mb/s  7.50/s
            agent/6/c… 127.0.0.1…  60.0 Mb/s  9.00/s

            """)
    }

    @Test func columnsThatCannotFitAreDropped() {
        #expect(ColumnWidths.fit(RenderFixtures.columns, into: 46) == [10, 16, 10, 7])
        #expect(ColumnWidths.fit(RenderFixtures.columns, into: 30) == [5, 5, 10, 7])
        #expect(ColumnWidths.fit(RenderFixtures.columns, into: 20) == [4, 4, 10, 0])
    }
}
