/// What the help overlay lists: every key bptop answers to, and what the table columns mean.
/// It lives next to the overlay so the text stays in one place; the keys' effects are in
/// `Interaction/KeyHandling.swift`.
public enum KeyHelp {
    public static let `default`: [(keys: String, action: String)] = [
        ("q, Ctrl-C", "quit"),
        ("?, h, F1", "help (any of them closes it)"),
        ("↑↓ / j k", "select a row"),
        ("PgUp PgDn", "select 10 rows up / down"),
        ("Home End", "first / last row"),
        ("Enter", "focus: chart the selected stream"),
        ("Esc", "back to all streams"),
        ("space, p", "pause the display"),
        ("+ / -", "scrape interval"),
        ("[ / ]", "chart window"),
        ("s / S", "sort by next column / reverse"),
        ("b", "rates in bits/s or bytes/s"),
        ("i", "show / hide idle rows (nothing moved)"),
    ]

    /// `bptop replay`: the replay's own keys in place of pause and the scrape interval (the
    /// recorded interval is what it was), then the live view's keys that still apply.
    public static let replay: [(keys: String, action: String)] = [
        ("q, Ctrl-C", "quit"),
        ("?, h, F1", "help (any of them closes it)"),
        ("space, p", "pause / play the replay"),
        ("← →", "one scrape interval back / forward"),
        ("< >", "slower / faster (×0.25 to ×64)"),
        ("g G", "start / end of the recording"),
    ] + `default`.filter { !["q, Ctrl-C", "?, h, F1", "space, p", "+ / -"].contains($0.keys) }

    /// The columns' abbreviations, across bptop's dashboards.
    public static let columns: [(column: String, meaning: String)] = [
        ("now, avg", "throughput: newest interval, window mean"),
        ("full/s", "buffer-full events/s: sends that failed with EAGAIN or ENOBUFS"),
        ("retry/s", "re-attempts/s after a buffer-full failure"),
        ("p50 p99 max", "stall: first failed send to the write that worked"),
        ("events", "buffer-full events in the run"),
        ("most", "most retries one event needed"),
        ("queued", "bytes waiting inside the agent"),
        ("tcp retr", "TCP retransmits iperf3 reported"),
        ("lost, jitter", "UDP: datagrams iperf3's receiver missed / sent; jitter"),
        ("rxq drop", "UDP: dropped by the kernel, the agent's queue full"),
        ("drops", "given up by the agent's --on-full policy"),
        ("~579 MB", "estimated: iperf3's text output rounds to 3 digits"),
    ]
}
