@testable import Dashboard

/// Fixed models shared by the render snapshot tests.
enum RenderFixtures {
    static let columns = [
        TableColumn(title: "stream", width: 10, alignRight: false),
        TableColumn(title: "peer", width: 16, alignRight: false),
        TableColumn(title: "rate", width: 10, alignRight: true),
        TableColumn(title: "full/s", width: 7, alignRight: true),
    ]

    static func row(_ index: Int, faded: Bool = false) -> TableRow {
        TableRow(key: "s\(index)", cells: [
            .text("agent/\(index)/c2s"),
            .text("127.0.0.1:\(5200 + index)"),
            .number(Double(index) * 1_250_000, .bitsPerSecond),
            .number(index == 2 ? nil : Double(index) * 1.5, .perSecond),
        ], faded: faded)
    }

    static func table(rows: Int = 4, selected: String? = "s2", footnote: String? = nil) -> TableModel {
        TableModel(columns: columns, rows: (1...rows).map { row($0, faded: $0 == 3) }, sortColumn: 2,
                   sortDescending: true, selectedKey: selected, footnote: footnote)
    }

    /// A rising line 0, 1, 2, … one dot row per slot.
    static func rising(_ count: Int) -> [Double?] { (0..<count).map { Double($0) } }

    static let header = HeaderModel(
        title: "bptop",
        sources: [
            SourceStatus(name: "agent1", health: .ok, uptimeSeconds: 3720),
            SourceStatus(name: "agent2", health: .disconnected(since: 1_700_000_000), skippedLines: 3),
        ],
        stats: [
            Stat(label: "c2s", value: 125_000_000, unit: .bitsPerSecond, color: .green),
            Stat(label: "full/s", value: 4.5, unit: .perSecond, color: .red),
            Stat(label: "stall max", value: 0.0127, unit: .seconds, color: .yellow),
        ])

    /// 120 scrapes one second apart, the newest now (t = 119 s).
    static let slotTimes = (0..<120).map(Double.init)

    static func screen(showHelp: Bool = false) -> ScreenModel {
        let throughput = ChartModel(
            unit: .bitsPerSecond,
            series: [ChartSeries(name: "total", values: (0..<120).map { Double($0 % 40) * 250_000 }, times: slotTimes, color: .green),
                     ChartSeries(name: "agent/2/c2s", values: (0..<120).map { $0 < 100 ? nil : 2_000_000 }, times: slotTimes, color: .cyan)],
            markers: slotTimes.enumerated().compactMap { $0.offset % 37 == 0 ? $0.element : nil },
            slotSeconds: 1, now: 119, spanSeconds: 119, note: "stall p99 1.20 ms, max 12.7 ms")
        return ScreenModel(
            header: header,
            panels: [
                PanelModel(title: "Throughput", content: .chart(throughput),
                           placement: GridPlacement(row: 0, heightWeight: 2, minHeight: 6)),
                PanelModel(title: "Streams", content: .table(table(rows: 5)),
                           placement: GridPlacement(row: 1, width: 8, minHeight: 5)),
                PanelModel(title: "Notes", content: .text("iperf3 -P 8\n--bidir"),
                           placement: GridPlacement(row: 1, column: 8, width: 4, minHeight: 5)),
            ],
            showHelp: showHelp)
    }
}
