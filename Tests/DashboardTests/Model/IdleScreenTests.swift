@testable import Dashboard
import Telemetry
import Testing

/// An agent with no streams yet: the screen says what to do, and shows no made-up scale.
@Suite struct IdleScreenTests {
    private func screen(_ scrape: String) throws -> ScreenModel {
        var store = TimeSeriesStore(capacity: 10)
        store.ingest(source: "a", exposition: PrometheusTextParser.parse(scrape.utf8), at: 1)
        store.ingest(source: "a", exposition: PrometheusTextParser.parse(scrape.utf8), at: 2)
        let definition = try DashboardResolver.load("backpressure", executablePath: "/nonexistent/bptop")
        return ModelBuilder.build(definition: definition, store: store, sources: [SourceStatus(name: "a", health: .ok)],
                                  ui: UIState(), now: 2)
    }

    private func streams(_ model: ScreenModel) -> TableModel? {
        guard case .table(let t) = model.panels.last!.content else { return nil }
        return t
    }

    @Test func anEmptyTableNamesTheListenAddress() throws {
        let idle = try screen("""
            bpagent_listen_info{proto="tcp",address="127.0.0.1:5202",host="127.0.0.1",port="5202"} 1
            bpagent_streams_open 0

            """)
        let table = try #require(streams(idle))
        #expect(table.rows.isEmpty)
        #expect(table.footnote == "no streams yet — start iperf3 through 127.0.0.1:5202 (iperf3 -c 127.0.0.1 -p 5202)")
        #expect(try streams(screen("bpagent_streams_open 0\n"))?.footnote
            == "no streams yet — start a client through the agent's --listen address")
    }

    @Test func aChartWithoutDataShowsNoScale() throws {
        let model = try screen("bpagent_streams_open 0\n")
        let text = TextBackend.render(ScreenRenderer().render(model, width: 80, height: 24, symbols: .unicode))
        #expect(!text.contains("1 b/s") && !text.contains("0.5 b/s"))
        #expect(text.contains("no data yet"))
        #expect(text.contains("no streams yet"))
    }
}
