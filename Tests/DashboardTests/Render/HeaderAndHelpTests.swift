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
            c2s 1.00 Gb/s   full/s 4.50/s   stall max 12.7 ms
            """)
        expectSnapshot(TextBackend.renderColors(buffer), """
            ..............gg..................rrrrrrrrrrrrrrrrrrrrrrrrrrryyyyyyyyyyyyyyyy
            ....ggggggggg..........rrrrrr.............yyyyyyy
            """)
    }

    /// A source that is down says why, after "disconnected since".
    @Test func aFailedSourceSaysWhy() {
        var header = RenderFixtures.header
        header.sources[1].failure = "connect: Connection refused"
        header.sources[1].skippedLines = 0
        let buffer = draw(width: 110, height: 1) {
            HeaderView(header: header, paused: false, timeOfDay: ClockText.utcTimeOfDay).render(into: &$0, area: $1, symbols: .unicode)
        }
        expectSnapshot(TextBackend.render(buffer), """
            bptop  agent1 ok up 1h02m  agent2 disconnected since 22:13:20 (connect: Connection refused)
            """)
    }

    @Test func pausedIsMarkedAtTheRightEdge() {
        expectSnapshot(TextBackend.render(header(paused: true, width: 40)), """
            bptop  agent1 ok up 1h02m  agent PAUSED
            c2s 1.00 Gb/s   full/s 4.50/s   stall ma
            """)
    }

    @Test func helpOverlayIsCentredAndClearsWhatIsBelow() {
        let buffer = draw(width: 84, height: 30) { buffer, area in
            buffer.fill(area, with: Cell("#"))
            HelpOverlay(bindings: KeyHelp.default, legend: KeyHelp.columns).render(into: &buffer, area: area, symbols: .unicode)
        }
        expectSnapshot(TextBackend.render(buffer), """
            ####################################################################################
            ##┌─ Help ───────────────────────────────────────────────────────────────────────┐##
            ##│ q, Ctrl-C     quit                                                           │##
            ##│ ?, h, F1      help (any of them closes it)                                   │##
            ##│ ↑↓ / j k      select a row                                                   │##
            ##│ PgUp PgDn     select 10 rows up / down                                       │##
            ##│ Home End      first / last row                                               │##
            ##│ Enter         focus: chart the selected stream                               │##
            ##│ Esc           back to all streams                                            │##
            ##│ space, p      pause the display                                              │##
            ##│ + / -         scrape interval                                                │##
            ##│ [ / ]         chart window                                                   │##
            ##│ s / S         sort by next column / reverse                                  │##
            ##│ b             rates in bits/s or bytes/s                                     │##
            ##│ i             show / hide idle rows (nothing moved)                          │##
            ##│                                                                              │##
            ##│ now, avg      throughput: newest interval, window mean                       │##
            ##│ full/s        buffer-full events/s: sends that failed with EAGAIN or ENOBUFS │##
            ##│ retry/s       re-attempts/s after a buffer-full failure                      │##
            ##│ p50 p99 max   stall: first failed send to the write that worked              │##
            ##│ events        buffer-full events in the run                                  │##
            ##│ most          most retries one event needed                                  │##
            ##│ queued        bytes waiting inside the agent                                 │##
            ##│ tcp retr      TCP retransmits iperf3 reported                                │##
            ##│ lost, jitter  UDP: datagrams iperf3's receiver missed / sent; jitter         │##
            ##│ rxq drop      UDP: dropped by the kernel, the agent's queue full             │##
            ##│ drops         given up by the agent's --on-full policy                       │##
            ##│ ~579 MB       estimated: iperf3's text output rounds to 3 digits             │##
            ##└──────────────────────────────────────────────────────────────────────────────┘##
            ####################################################################################
            """)
    }
}
