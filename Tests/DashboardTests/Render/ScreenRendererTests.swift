import Testing
@testable import Dashboard

@Suite struct ScreenRendererTests {
    private func screen(width: Int, height: Int, help: Bool = false, symbols: SymbolSet = .unicode) -> String {
        TextBackend.render(ScreenRenderer().render(RenderFixtures.screen(showHelp: help), width: width, height: height, symbols: symbols))
    }

    @Test func tooSmallScreensShowTheWholeMessage() {
        #expect(screen(width: 39, height: 10) == "terminal too small: 39x10 (need 40x10)" + String(repeating: "\n", count: 9))
        #expect(screen(width: 40, height: 9) == "terminal too small: 40x9 (need 40x10)" + String(repeating: "\n", count: 8))
        #expect(screen(width: 30, height: 8) == "terminal too small: 30x8 (need\n40x10)" + String(repeating: "\n", count: 6))
        #expect(screen(width: 12, height: 4) == "terminal too\nsmall: 12x4\n(need 40x10)\n")
        #expect(screen(width: 0, height: 0) == "")
        #expect(screen(width: 1, height: 1) == "t")
        #expect(screen(width: 5, height: 3) == "termi\nnal\ntoo")
        #expect(screen(width: 20, height: 1) == "terminal too small:")
    }

    @Test func fullScreen120x40() {
        expectSnapshot(screen(width: 120, height: 40), """
            bptop  agent1 ok up 1h02m  agent2 disconnected since 22:13:20 3 lines skipped
            c2s 1.00 Gb/s   full/s 4.50/s   stall max 12.7 ms
            ┌─ Throughput ──────────────────────────────────────────────────────────────────────── stall p99 1.20 ms, max 12.7 ms ─┐
            │         total  agent/2/c2s                                                                                           │
            │100 Mb/s│                                                                                                             │
            │        │                                                                                                             │
            │        │                                                                                                             │
            │        │                                                                                                             │
            │        │                                  ⢀⠔⡄                                  ⡠⢢                                  ⢀⠔│
            │        │                                ⢀⠔⠁ ⡇                                ⡠⠊ ⢸                                ⢀⠔⠁ │
            │        │                             ⢀⡠⠊⠁   ⡇                             ⣀⠔⠉   ⢸                             ⢀⡠⠊⠁   │
            │        │                            ⡠⠃      ⡇                           ⢠⠊      ⢸                            ⡔⠁      │
            │        │                         ⣀⠔⠉        ⡇                        ⢀⡠⠊⠁       ⢸                         ⣀⠔⠉        │
            │ 50 Mb/s│                       ⡠⠊           ⡇                      ⢀⠔⠁          ⢸                      ⢀⠤⠊           │
            │        │                    ⢀⡠⠊             ⡇                    ⣀⠔⠁            ⢸                    ⢀⡠⠊             │
            │        │                  ⡠⠔⠁               ⡇                 ⢀⠤⠊               ⢸                  ⡠⠔⠁               │
            │        │                ⣀⠔⠁                 ⢱               ⢀⡠⠊                 ⠈⡆               ⣀⠔⠁                 │
            │        │             ⢀⠤⠊                    ⢸             ⡠⠔⠁                    ⡇            ⢀⠤⠊                    │
            │        │           ⢀⠔⠊                      ⢸           ⡠⠊                       ⡇          ⢀⠔⠁                      │
            │        │         ⡠⠔⠁                        ⢸        ⢀⠤⠊                         ⡇        ⡠⠔⠁                        │
            │        │       ⡠⠊                           ⢸      ⢀⠔⠁                           ⡇      ⡔⠊         ⠤⠤⠤⠤⠤⠤⠤⠤⠤⠤⠤⠤⠤⠤⠤⠤⠤⠤│
            │        │    ⢀⠤⠊                             ⢸    ⡠⠔⠁                             ⡇   ⢀⠤⠊                             │
            │        │  ⢠⠒⠁                               ⢸  ⡔⠊                                ⡇ ⢠⠒⠁                               │
            │       0│⡠⠊⠁                                 ⢸⠔⠉                                  ⡧⠊⠁                                 │
            │         ◆                                ◆                                 ◆                                 ◆       │
            │                   -1m45s       -1m30s        -1m15s          -1m         -45s          -30s          -15s         now│
            └──────────────────────────────────────────────────────────────────────────────────────────────────────────────────────┘
            ┌─ Streams ────────────────────────────────────────────────────────────────────┐┌─ Notes ──────────────────────────────┐
            │stream     peer                  ▼rate  full/s                                ││iperf3 -P 8                           │
            │agent/1/c… 127.0.0.1:5201    10.0 Mb/s  1.50/s                                ││--bidir                               │
            │agent/2/c… 127.0.0.1:5202    20.0 Mb/s       –                                ││                                      │
            │agent/3/c… 127.0.0.1:5203    30.0 Mb/s  4.50/s                                ││                                      │
            │agent/4/c… 127.0.0.1:5204    40.0 Mb/s  6.00/s                                ││                                      │
            │agent/5/c… 127.0.0.1:5205    50.0 Mb/s  7.50/s                                ││                                      │
            │                                                                              ││                                      │
            │                                                                              ││                                      │
            │                                                                              ││                                      │
            │                                                                              ││                                      │
            └──────────────────────────────────────────────────────────────────────────────┘└──────────────────────────────────────┘
            q quit  ? help  s sort  b bits/bytes  space pause
            """)
    }

    @Test func fullScreen60x20() {
        expectSnapshot(screen(width: 60, height: 20), """
            bptop  agent1 ok up 1h02m  agent2 disconnected since 22:13:2
            c2s 1.00 Gb/s   full/s 4.50/s   stall max 12.7 ms
            ┌─ Throughput ──────────── stall p99 1.20 ms, max 12.7 ms ─┐
            │         total  agent/2/c2s                               │
            │100 Mb/s│                                                 │
            │        │              ⣠⠤⢢             ⣀⠤⢦             ⢀⡠⠔│
            │ 50 Mb/s│          ⣀⡠⠖⠉  ⢸         ⢀⣠⠔⠊⠁ ⢸          ⣀⠤⠊⠁  │
            │        │       ⣠⠔⠊⠁     ⢸      ⣀⠤⠚⠁     ⢸      ⢀⡠⠖⠉      │
            │        │   ⢀⠤⠒⠉         ⢸  ⢀⡠⠖⠊⠁        ⢸   ⣠⠔⠚⠁ ⣀⣀⣀⣀⣀⣀⣀⣀│
            │       0│⣀⠔⠊⠁            ⢸⠤⠚⠁            ⢸⡠⠖⠉             │
            │         ◆              ◆              ◆              ◆   │
            │                  -1m30s        -1m        -30s        now│
            └──────────────────────────────────────────────────────────┘
            ┌─ Streams ────────────────────────────┐┌─ Notes ──────────┐
            │stream    peer           ▼rate  full/s││iperf3 -P 8       │
            │agent/1/… 127.0.0.…  10.0 Mb/s  1.50/s││--bidir           │
            │agent/2/… 127.0.0.…  20.0 Mb/s       –││                  │
            │rows 1–2 of 5 ↓                       ││                  │
            └──────────────────────────────────────┘└──────────────────┘
            q quit  ? help  s sort  b bits/bytes  space pause
            """)
    }

    @Test func helpOverlayInASCII() {
        expectSnapshot(screen(width: 60, height: 20, help: true, symbols: .ascii), """
            bptop  agent1 ok up 1h02m  agent2 disconnected since 22:13:2
            c2s 1.00 Gb/s   full/s 4.50/s   stall max 12.7 ms
            +- Help ---------------------------------------------------+
            | q, Ctrl-C     quit                                       |
            | ?, h, F1      help (any of them closes it)               |
            | ^v / j k      select a row                               |
            | PgUp PgDn     select 10 rows up / down                   |
            | Home End      first / last row                           |
            | Enter         focus: chart the selected stream           |
            | Esc           back to all streams                        |
            | space, p      pause the display                          |
            | + / -         scrape interval                            |
            | [ / ]         chart window                               |
            | s / S         sort by next column / reverse              |
            | b             rates in bits/s or bytes/s                 |
            | i             show / hide idle rows (nothing moved)      |
            |                                                          |
            | now, avg      throughput: newest interval, window mean   |
            +----------------------------------------------------------+
            q quit  ? help  s sort  b bits/bytes  space pause
            """)
    }

    /// `bptop replay` lists its own keys: no scrape interval, pause means the replay's.
    @Test func replayHelpListsTheReplayKeys() {
        var model = RenderFixtures.screen(showHelp: true)
        model.keys = .replay
        expectSnapshot(TextBackend.render(ScreenRenderer().render(model, width: 60, height: 20, symbols: .unicode)), """
            bptop  agent1 ok up 1h02m  agent2 disconnected since 22:13:2
            c2s 1.00 Gb/s   full/s 4.50/s   stall max 12.7 ms
            ┌─ Help ───────────────────────────────────────────────────┐
            │ q, Ctrl-C     quit                                       │
            │ ?, h, F1      help (any of them closes it)               │
            │ space, p      pause / play the replay                    │
            │ ← →           one scrape interval back / forward         │
            │ < >           slower / faster (×0.25 to ×64)             │
            │ g G           start / end of the recording               │
            │ ↑↓ / j k      select a row                               │
            │ PgUp PgDn     select 10 rows up / down                   │
            │ Home End      first / last row                           │
            │ Enter         focus: chart the selected stream           │
            │ Esc           back to all streams                        │
            │ [ / ]         chart window                               │
            │ s / S         sort by next column / reverse              │
            │ b             rates in bits/s or bytes/s                 │
            │ i             show / hide idle rows (nothing moved)      │
            └──────────────────────────────────────────────────────────┘
            q quit  ? help  s sort  b bits/bytes  space pause
            """)
    }

    @Test func everySizeRendersTheTooSmallLineOrTheHeader() {
        for width in 0...130 {
            for height in 0...45 {
                let text = screen(width: width, height: height, help: (width + height) % 2 == 0)
                expectTooSmallOrHeader(text, width: width, height: height, title: "bptop ")
            }
        }
    }

    @Test func gridRowsShareHeightByWeightAndKeepMinimums() {
        #expect(GridLayout.heights(weights: [2, 1], minimums: [6, 5], total: 35) == [23, 12])
        #expect(GridLayout.heights(weights: [2, 1], minimums: [6, 5], total: 12) == [7, 5])
        #expect(GridLayout.heights(weights: [1, 5], minimums: [8, 4], total: 12) == [8, 4])
        let placed = GridLayout.place(RenderFixtures.screen().panels, in: Rect(x: 0, y: 2, width: 60, height: 10))
        #expect(placed.map(\.panel.title) == ["Throughput"])
        #expect(placed.map(\.rect) == [Rect(x: 0, y: 2, width: 60, height: 10)])
    }
}
