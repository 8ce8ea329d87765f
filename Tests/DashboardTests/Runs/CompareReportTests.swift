import Testing
@testable import Dashboard

@Suite struct CompareReportTests {
    private func run(_ title: String, _ totals: [RunMetric: Double]) -> MeasuredRun {
        var c2s = RunDirection(dir: "c2s")
        c2s.totals = totals
        return MeasuredRun(title: title, seconds: 10, directions: [c2s])
    }

    @Test func changesReadAsTheIssueWritesThem() {
        #expect(CompareReport.change(from: 100, to: 112.3) == "+12.3 %")
        #expect(CompareReport.change(from: 100, to: 96) == "−4.0 %")
        #expect(CompareReport.change(from: 1624, to: 32) == "↓ 98 %")
        #expect(CompareReport.change(from: 10, to: 35) == "↑ 3.5×")
        #expect(CompareReport.change(from: 10, to: 1000) == "↑ 100×")
        #expect(CompareReport.change(from: 0, to: 5) == "from 0")
        #expect(CompareReport.change(from: 7, to: 7) == "=")
        #expect(CompareReport.change(from: nil, to: 7) == "–")
    }

    @Test func tableAndMarkdown() {
        let before = run("wait.json", [.throughputMean: 1.25e9, .bufferFull: 124, .retries: 1624, .stallMax: 0.0127, .drops: 0])
        let after = run("spin.json", [.throughputMean: 1.0e9, .bufferFull: 130, .retries: 250_000, .stallMax: 0.070, .drops: 0])
        expectSnapshot(CompareReport.text(before: before, after: after), """
            before: wait.json · 10.0 s
            after:  spin.json · 10.0 s

            c2s                           before      after   change
            throughput mean            10.0 Gb/s  8.00 Gb/s  −20.0 %
            throughput min                     –          –        –
            throughput max                     –          –        –
            buffer-full events               124        130   +4.8 %
            buffer-full events/s               –          –        –
            retries                         1624       250k   ↑ 154×
            most retries in one event          –          –        –
            stall p50                          –          –        –
            stall p99                          –          –        –
            longest stall                12.7 ms    70.0 ms   ↑ 5.5×
            drops                              0          0        =
            TCP retransmits                    –          –        –

            """)
        let markdown = CompareReport.markdown(before: before, after: after).split(separator: "\n").map(String.init)
        #expect(markdown[0] == "**before** `wait.json · 10.0 s`  ")
        #expect(markdown[2...4] == ["| c2s | before | after | change |", "|---|---:|---:|---:|", "| throughput mean | 10.0 Gb/s | 8.00 Gb/s | −20.0 % |"])
    }
}
