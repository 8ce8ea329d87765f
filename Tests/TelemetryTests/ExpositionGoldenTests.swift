import Foundation
import Testing
import Telemetry

/// Pins the exact bytes of `/metrics` in both dialects: scripts and dashboards parse it, so
/// any change to names, label order, number formatting or escaping must show up as a failing
/// test. The expected texts are in `Golden/`; each ends with a newline, like every line.
@Suite struct ExpositionGoldenTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")

    static func golden(_ name: String) throws -> String {
        try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
    }

    /// A datagram flow (every family, label escaping) and the agent totals.
    @Test func prometheusTextOfOneStream() throws {
        let text = String(decoding: PrometheusTextWriter.render(SampleSnapshot.oneStream), as: UTF8.self)
        #expect(text == (try Self.golden("one-stream.prom")))
    }

    /// A closed TCP stream (no frame families) and every self-metric, in OpenMetrics:
    /// counter families without `_total`, units, `_created`, info families, `# EOF`.
    @Test func openMetricsOfSelfMetricsAndATCPStream() throws {
        let s = SampleSnapshot.selfReported
        let snapshot = MetricsSnapshot(agent: s.agent, streams: [SampleSnapshot.closedStream], build: s.build,
                                       process: s.process, exporter: s.exporter)
        let text = String(decoding: OpenMetricsWriter.render(snapshot), as: UTF8.self)
        #expect(text == (try Self.golden("self-metrics.om.txt")))
    }
}
