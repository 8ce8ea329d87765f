import Foundation
import Testing
import Telemetry

/// Pins the exact bytes of `/metrics` in both dialects: scripts and dashboards parse it, so
/// any change to names, label order, number formatting or escaping must show up as a failing
/// test. The expected texts are in `Golden/`; each ends with a newline, like every line.
/// `GOLDEN_UPDATE=1 swift test --filter ExpositionGoldenTests` rewrites them after an intended
/// change; review the diff before committing it.
@Suite struct ExpositionGoldenTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")

    static func expectGolden(_ text: String, _ name: String) throws {
        let url = directory.appendingPathComponent(name)
        if ProcessInfo.processInfo.environment["GOLDEN_UPDATE"] != nil { try text.write(to: url, atomically: true, encoding: .utf8) }
        #expect(text == (try String(contentsOf: url, encoding: .utf8)))
    }

    /// A datagram flow (every family, label escaping) and the agent totals.
    @Test func prometheusTextOfOneStream() throws {
        let text = String(decoding: PrometheusTextWriter.render(SampleSnapshot.oneStream), as: UTF8.self)
        try Self.expectGolden(text, "one-stream.prom")
    }

    /// A closed TCP stream (no frame families) and every self-metric, in OpenMetrics:
    /// counter families without `_total`, units, `_created`, info families, `# EOF`.
    @Test func openMetricsOfSelfMetricsAndATCPStream() throws {
        let s = SampleSnapshot.selfReported
        let snapshot = MetricsSnapshot(agent: s.agent, streams: [SampleSnapshot.closedStream], build: s.build,
                                       process: s.process, exporter: s.exporter)
        let text = String(decoding: OpenMetricsWriter.render(snapshot), as: UTF8.self)
        try Self.expectGolden(text, "self-metrics.om.txt")
    }
}
