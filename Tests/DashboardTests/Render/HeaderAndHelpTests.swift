import Testing
@testable import Dashboard

@Suite struct HeaderAndHelpTests {
    private func header(paused: Bool, width: Int) -> CellBuffer {
        draw(width: width, height: 2) {
            HeaderView(header: RenderFixtures.header, paused: paused, timeOfDay: ClockText.utcTimeOfDay)
                .render(into: &$0, area: $1, symbols: .unicode)
        }
    }

    @Test func headerShowsHealthUptimeSkippedLinesAndStats() {
        let buffer = header(paused: false, width: 100)
        expectSnapshot(TextBackend.render(buffer), """
            bptop  agent1 ok up 1h02m  agent2 disconnected since 22:13:20 3 lines skipped
            c2s 1.00 Gb/s   full/s 4.5/s   stall max 12.7 ms
            """)
        expectSnapshot(TextBackend.renderColors(buffer), """
            ..............gg..................rrrrrrrrrrrrrrrrrrrrrrrrrrryyyyyyyyyyyyyyyy
            ....ggggggggg..........rrrrr.............yyyyyyy
            """)
    }

    @Test func pausedIsMarkedAtTheRightEdge() {
        expectSnapshot(TextBackend.render(header(paused: true, width: 40)), """
            bptop  agent1 ok up 1h02m  agent PAUSED
            c2s 1.00 Gb/s   full/s 4.5/s   stall max
            """)
    }

    @Test func helpOverlayIsCentredAndClearsWhatIsBelow() {
        let buffer = draw(width: 40, height: 15) { buffer, area in
            buffer.fill(area, with: Cell("#"))
            HelpOverlay(bindings: KeyHelp.default).render(into: &buffer, area: area, symbols: .unicode)
        }
        expectSnapshot(TextBackend.render(buffer), """
            ########################################
            ######┌─ Help ───────────────────┐######
            ######│ q, Ctrl-C  quit          │######
            ######│ ?, F1      help          │######
            ######│ ↑↓ / j k   select        │######
            ######│ Enter      focus stream  │######
            ######│ Esc        back          │######
            ######│ space, p   pause display │######
            ######│ + / -      interval      │######
            ######│ [ / ]      window        │######
            ######│ s          sort column   │######
            ######│ S          reverse sort  │######
            ######│ b          bits/bytes    │######
            ######└──────────────────────────┘######
            ########################################
            """)
    }
}
