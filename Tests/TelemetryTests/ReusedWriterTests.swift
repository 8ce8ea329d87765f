import Testing
import Telemetry

/// The exporter renders every scrape into a writer kept from the last one: the text must be
/// exactly that of a fresh render, whatever the writer held before.
@Suite struct ReusedWriterTests {
    static let big = MetricsSnapshot(agent: SampleSnapshot.agent, streams: [SampleSnapshot.busyStream, SampleSnapshot.closedStream])
    static let small = MetricsSnapshot(agent: SampleSnapshot.agent, streams: [SampleSnapshot.closedStream])

    @Test func prometheusTextIntoAReusedWriterEqualsAFreshRender() {
        var w = ByteWriter(capacity: 64)
        PrometheusTextWriter.render(Self.big, into: &w)
        let grown = w.allocated
        PrometheusTextWriter.render(Self.small, into: &w)
        #expect(w.bytes == PrometheusTextWriter.render(Self.small))
        #expect(w.allocated == grown)  // the memory was kept
        PrometheusTextWriter.render(Self.big, into: &w)
        #expect(w.withUnsafeBytes { Array($0) } == PrometheusTextWriter.render(Self.big))
    }

    @Test func jsonIntoAReusedWriterEqualsAFreshRender() {
        var w = ByteWriter(capacity: 64)
        JSONWriter.render(Self.big, into: &w)
        JSONWriter.render(Self.small, into: &w)
        #expect(w.bytes == JSONWriter.render(Self.small))
    }
}
