import Foundation
import Testing
@testable import Dashboard

@Suite struct RunPlotTests {
    @Test func titleLinesAxesAndGapsInTheSVG() {
        var c2s = RunDirection(dir: "c2s")
        c2s.iperf3Throughput = [RunPoint(time: 1, value: 1e8), RunPoint(time: 2, value: nil), RunPoint(time: 3, value: 2e8),
                                RunPoint(time: 4, value: 2e8)]
        c2s.bufferFullRate = [RunPoint(time: 1, value: 0), RunPoint(time: 2, value: 3)]
        c2s.totals = [.throughputMean: 1.5e8, .bufferFull: 3, .retriesMax: 2, .stallMax: 0.001]
        let run = MeasuredRun(title: "iperf3 -c <host> & more", seconds: 4, directions: [c2s])
        let picture = RunPlot.picture([(nil, run)], options: .init(width: 800))
        #expect(picture.width == 800 && picture.height > 500)
        #expect(picture.svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"800\" height=\"\(picture.height)\""))
        #expect(picture.svg.contains(">iperf3 -c &lt;host&gt; &amp; more · 4.00 s</text>"))
        #expect(picture.svg.contains(">c2s: 1.20 Gb/s mean · 3 buffer-full events in 4.00 s, up to 2 retries for one, longest stall 1.00 ms</text>"))
        // The gap at 2 s breaks the line: two pieces, each starting with M.
        let line = picture.svg.split(separator: "\n").first { $0.contains("stroke=\"#2da44e\" stroke-width=\"2\"") }!
        #expect(line.filter { $0 == "M" }.count == 2)
        // One buffer-full marker, for the slot with events.
        #expect(picture.svg.components(separatedBy: "fill=\"#e5534b\"").count == 2)
        #expect(picture.svg.contains(">throughput (bit/s)</text>") && picture.svg.contains(">0</text>"))
    }
}
