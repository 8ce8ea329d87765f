import Telemetry

/// What a Prometheus server observed before bptop asked: the observation before each series'
/// newest, as an exposition with the samples' own timestamps. Federation gives only the newest
/// sample, so a single read (`--once`) would need a second Prometheus scrape to pass before a
/// rate exists; with this first, the rate is there at once (between the two newest
/// observations, as `irate()` reads it).
public enum PrometheusHistory {
    /// How far back the previous observation is looked for: four times Prometheus' longest
    /// common scrape interval (1 min).
    static let lookbackSeconds = 240

    /// The second-newest sample of every series the source selects, as exposition text.
    public static func previousObservations(of source: SourceSpec, timeoutMillis: Int32 = 5000) throws(ScrapeError) -> [UInt8] {
        let query = "\(source.selector)[\(lookbackSeconds)s]"
        let body = try ScrapeClient.fetch(source, path: source.serverPrefix + "/api/v1/query?query=" + SourceSpec.percentEncoded(query),
                                          accept: "application/json", mediaTypes: ["application/json"], timeoutMillis: timeoutMillis)
        return try exposition(ofMatrix: body)
    }

    /// `{"status":"success","data":{"resultType":"matrix","result":[{"metric":{…},"values":[[t,"v"],…]}]}}`
    /// → `name{labels} v t_ms` for each series' second-newest value.
    static func exposition(ofMatrix body: [UInt8]) throws(ScrapeError) -> [UInt8] {
        guard let doc = JSONReader.parse(body) else { throw ScrapeError("Prometheus answered with JSON that does not parse") }
        guard doc["status"]?.string == "success", let data = doc["data"], data["resultType"]?.string == "matrix" else {
            throw ScrapeError("Prometheus: \(doc["error"]?.string ?? "not a range-vector answer")")
        }
        var w = ByteWriter(capacity: 4096)
        for series in data["result"]?.array ?? [] {
            let values = series["values"]?.array ?? []
            guard values.count >= 2, case .object(let metric)? = series["metric"], let name = metric["__name__"]?.string else { continue }
            let previous = values[values.count - 2].array
            guard previous.count == 2, let seconds = previous[0].double, abs(seconds) < 1e12, let value = previous[1].string else { continue }
            w.append(string: name)
            let labels = metric.filter { $0.key != "__name__" }.sorted { $0.key < $1.key }
            if !labels.isEmpty {
                w.append("{")
                for (i, (key, label)) in labels.enumerated() {
                    if i > 0 { w.append(",") }; w.append(string: key); w.append("=\"")
                    w.append(labelValue: label.string ?? ""); w.append("\"")
                }
                w.append("}")
            }
            w.append(" "); w.append(string: value); w.append(" ")
            w.append(string: String(Int64((seconds * 1000).rounded()))); w.append("\n")
        }
        return w.bytes
    }
}
