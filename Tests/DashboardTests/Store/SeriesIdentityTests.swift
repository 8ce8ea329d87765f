@testable import Dashboard
import Telemetry
import Testing

/// A series is found by its stored labels (one array for lookup and queries), except where
/// those would merge samples whose own labels differ: each sample still keeps its own series.
@Suite struct SeriesIdentityTests {
    @Test func samplesFoundByTheirStoredLabelsKeepTheirSeriesWhenTheOrderChanges() {
        let s = store(capacity: 4, [(0, "m{s=\"1\",dir=\"c2s\"} 1\nm{s=\"2\",dir=\"c2s\"} 2"),
                                    (1, "m{dir=\"c2s\",s=\"2\"} 20\nm{s=\"1\",dir=\"c2s\"} 10"),
                                    (2, "m{s=\"3\",dir=\"c2s\"} 300\nm{s=\"1\",dir=\"c2s\"} 100\nm{s=\"2\",dir=\"c2s\"} 200")])
        let history = s.sources["a"]!
        #expect(history.series.allSatisfy { $0.id.labels == $0.labels && !$0.id.sampleLabels })
        let results = s.evaluate(Query(metric: "m"), slots: 3)
        #expect(results.map { $0[label: "s"] } == ["1", "2", "3"])
        #expect(results.map(\.values) == [[1, 10, 100], [2, 20, 200], [nil, nil, 300]])
        #expect(results.allSatisfy { $0[label: "instance"] == "a" })
    }

    @Test func anExportersOwnInstanceLabelIsReplacedButItsSeriesStaysApart() {
        let text = "m{instance=\"x\",s=\"1\"} 1\nm{s=\"1\"} 2\nm{instance=\"a\",s=\"1\"} 3"
        let s = store(capacity: 4, [(0, text), (1, text.replacingOccurrences(of: "} ", with: "} 1"))])
        #expect(s.seriesCount == 3)
        let results = s.evaluate(Query(metric: "m"), slots: 2)
        #expect(results.map(\.values) == [[1, 11], [2, 12], [3, 13]])
        #expect(results.allSatisfy { $0.labels == [.init("instance", "a"), .init("s", "1")] })
    }

    @Test func aFederatingSourceKeepsEachSeriesInstanceAndNamesTheOthers() {
        var s = TimeSeriesStore(capacity: 4, federating: ["a"])
        let text = "m{instance=\"x\",s=\"1\"} 1\nm{s=\"1\"} 2\nm{instance=\"a\",s=\"1\"} 3\n"
        for t in 0..<2 { s.ingest(source: "a", exposition: PrometheusTextParser.parse(text.utf8), at: Double(t)) }
        #expect(s.seriesCount == 3)
        let results = s.evaluate(Query(metric: "m"), slots: 2)
        #expect(results.map { $0[label: "instance"] } == ["a", "a", "x"])
        #expect(results.map(\.values) == [[2, 2], [3, 3], [1, 1]])
    }

    @Test func thousandsOfSeriesAreFoundAgainInAnotherOrderAfterTheIndexGrew() {
        let streams = 0..<3_000
        let first = streams.map { "m{s=\"\($0)\"} \($0)" }.joined(separator: "\n")
        let second = streams.reversed().map { "m{s=\"\($0)\"} \($0 + 1)" }.joined(separator: "\n")
        let s = store(capacity: 4, [(0, first), (1, second)])
        #expect(s.seriesCount == 3_000)
        let results = s.evaluate(Query(metric: "m"), slots: 2)
        #expect(results.map(\.values) == streams.map { [Double($0), Double($0 + 1)] })
    }
}
