import Foundation
@testable import Dashboard
import Telemetry
import Testing

/// The valid documents of Prometheus' reference parser tests (TelemetryTests/Fixtures/
/// expfmt-text-parse.json) scraped twice: the series a rate query over every metric selects
/// are exactly the samples the reference types as counters — counters get rates, and gauges,
/// summaries, histograms, gauge histograms and untyped series do not.
@Suite struct ReferenceRatesTests {
    /// Each valid document's bytes and the names of its counter samples.
    static let documents: [(name: String, bytes: [UInt8], counters: Set<String>)] = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("TelemetryTests/Fixtures/expfmt-text-parse.json")
        let fixture = try! JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
        return (fixture["valid"] as! [[String: Any]]).map { document in
            let bytes = (document["input"] as? String).map { Array($0.utf8) }
                ?? Array(Data(base64Encoded: document["inputBase64"] as! String)!)
            let samples = document["samples"] as! [[String: Any]]
            let counters = samples.filter { $0["type"] as! String == "counter" }.map { $0["name"] as! String }
            return (document["case"] as! String, bytes, Set(counters))
        }
    }()

    @Test func onlyCountersGetRates() {
        #expect(Self.documents.count == 20)
        #expect(Self.documents.contains { !$0.counters.isEmpty })
        for document in Self.documents {
            var store = TimeSeriesStore(capacity: 4)
            store.ingest(source: "a", exposition: PrometheusTextParser.parse(document.bytes), at: 10)
            store.ingest(source: "a", exposition: PrometheusTextParser.parse(document.bytes), at: 12)
            let rated = store.evaluate(Query(metric: "*", rate: true), slots: 1).compactMap { $0[label: Query.nameLabel] }
            #expect(Set(rated) == document.counters, "\(document.name)")
        }
    }
}
