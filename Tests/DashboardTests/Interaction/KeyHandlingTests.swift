import Testing
@testable import Dashboard

@Suite struct KeyHandlingTests {
    let context = KeyContext(rowKeys: ["a/1/c2s", "a/1/s2c", "a/2/c2s"], columnTitles: ["stream", "dir", "now", "avg", "state"], intervalMillis: 1000)

    @Test func quitKeys() {
        var ui = UIState()
        #expect(ui.handle(.char("q"), context) == .quit)
        #expect(ui.handle(.ctrlC, context) == .quit)
    }

    @Test func selectionMovesAndStopsAtTheEnds() {
        var ui = UIState()
        #expect(ui.handle(.char("j"), context) == .redraw)
        #expect(ui.selectedKey == "a/1/c2s")
        _ = ui.handle(.down, context)
        _ = ui.handle(.down, context)
        _ = ui.handle(.down, context)
        #expect(ui.selectedKey == "a/2/c2s")
        _ = ui.handle(.char("k"), context)
        #expect(ui.selectedKey == "a/1/s2c")
        _ = ui.handle(.home, context)
        #expect(ui.selectedKey == "a/1/c2s")
        _ = ui.handle(.pageDown, context)
        #expect(ui.selectedKey == "a/2/c2s")
    }

    @Test func selectionOfAVanishedRowRestartsFromTheTop() {
        var ui = UIState(selectedKey: "gone")
        _ = ui.handle(.down, context)
        #expect(ui.selectedKey == "a/1/c2s")
        _ = ui.handle(.up, KeyContext(rowKeys: [], columnTitles: [], intervalMillis: 1000))
        #expect(ui.selectedKey == nil)
    }

    @Test func enterFocusesAndEscapeReturns() {
        var ui = UIState(selectedKey: "a/2/c2s")
        _ = ui.handle(.enter, context)
        #expect(ui.focusedStream == "a/2/c2s")
        #expect(ui.status == "focused on a/2/c2s (Esc: back)")
        _ = ui.handle(.escape, context)
        #expect(ui.focusedStream == nil && ui.status == nil)
    }

    @Test func helpSwallowsKeysUntilClosed() {
        var ui = UIState()
        _ = ui.handle(.char("?"), context)
        #expect(ui.showHelp)
        #expect(ui.handle(.char("j"), context) == .none)
        #expect(ui.selectedKey == nil)
        #expect(ui.handle(.escape, context) == .redraw)
        #expect(!ui.showHelp)
        _ = ui.handle(.f1, context)
        #expect(ui.showHelp)
        #expect(ui.handle(.char("q"), context) == .quit)
    }

    @Test func intervalSteps() {
        var ui = UIState()
        #expect(ui.handle(.char("+"), context) == .setInterval(millis: 2000))
        #expect(ui.handle(.char("-"), context) == .setInterval(millis: 500))
        #expect(ui.handle(.char("-"), KeyContext(rowKeys: [], columnTitles: [], intervalMillis: 100)) == .setInterval(millis: 100))
        #expect(ui.handle(.char("+"), KeyContext(rowKeys: [], columnTitles: [], intervalMillis: 10_000)) == .setInterval(millis: 10_000))
        #expect(ui.handle(.char("-"), KeyContext(rowKeys: [], columnTitles: [], intervalMillis: 750)) == .setInterval(millis: 500))
        #expect(ui.status == "interval 500 ms")
    }

    @Test func windowSortBitsPause() {
        var ui = UIState()
        _ = ui.handle(.char("]"), context)
        #expect(ui.windowSlots == 120 && ui.status == "window 2m00s (120 samples)")
        _ = ui.handle(.char("["), context)
        _ = ui.handle(.char("["), context)
        _ = ui.handle(.char("["), context)
        #expect(ui.windowSlots == 30)
        _ = ui.handle(.char("s"), context)
        #expect(ui.sortColumn == 0 && ui.status == "sorted by stream ▼")
        for _ in 0..<5 { _ = ui.handle(.char("s"), context) }
        #expect(ui.sortColumn == 0, "wraps after the last column")
        _ = ui.handle(.char("S"), context)
        #expect(!ui.sortDescending && ui.status == "sorted by stream ▲")
        _ = ui.handle(.char("b"), context)
        #expect(!ui.showBits && ui.status == "rates in bytes/s")
        _ = ui.handle(.char(" "), context)
        #expect(ui.paused)
        _ = ui.handle(.char("p"), context)
        #expect(!ui.paused)
        #expect(ui.handle(.char("x"), context) == .none)
        #expect(ui.handle(.resize, context) == .redraw)
    }
}
