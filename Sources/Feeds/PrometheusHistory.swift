import Telemetry

/// What a Prometheus server observed before bptop asked, as expositions with the samples' own
/// timestamps. Federation gives only each series' newest sample; the API's range vectors give
/// what came before, so bptop starts with rates and a chart instead of waiting for Prometheus
/// to scrape again.
public enum PrometheusHistory {
    /// How far back a `--once` read looks for the observation before the newest: four times
    /// Prometheus' longest common scrape interval (1 min).
    static let lookbackSeconds = 240

    /// The second-newest sample of every series the source selects: read first, it gives the
    /// newest read a rate at once (between the two newest observations, as `irate()` does).
    public static func previousObservations(of source: SourceSpec, timeoutMillis: Int32 = 5000) throws(ScrapeError) -> [UInt8] {
        let series = try rangeVector(of: source, seconds: lookbackSeconds, timeoutMillis: timeoutMillis)
        var w = ByteWriter(capacity: 4096)
        for s in series where s.samples.count >= 2 { s.write(s.samples[s.samples.count - 2], into: &w) }
        return w.bytes
    }

    /// The window before `now` as `count` slots `interval` seconds apart, oldest first: in each,
    /// every series' newest sample at or before the slot's time (within Prometheus' 5 min
    /// staleness). Slots before the server's oldest sample are left out.
    public static func window(of source: SourceSpec, count: Int, intervalSeconds: Double, now: Double,
                              timeoutMillis: Int32 = 5000) throws(ScrapeError) -> [(time: Double, body: [UInt8])] {
        let seconds = Int((Double(count) * intervalSeconds).rounded(.up))
        return slots(try rangeVector(of: source, seconds: seconds, timeoutMillis: timeoutMillis),
                     times: (0..<count).map { now - Double(count - 1 - $0) * intervalSeconds })
    }

    static func slots(_ series: [Series], times: [Double]) -> [(time: Double, body: [UInt8])] {
        var next = [Int](repeating: 0, count: series.count)
        var out: [(time: Double, body: [UInt8])] = []
        for t in times {
            var w = ByteWriter(capacity: 4096)
            for (i, s) in series.enumerated() {
                while next[i] < s.samples.count && s.samples[next[i]].seconds <= t { next[i] += 1 }
                guard next[i] > 0 else { continue }
                let sample = s.samples[next[i] - 1]
                if t - sample.seconds <= 300 { s.write(sample, into: &w) }
            }
            if !w.bytes.isEmpty { out.append((t, w.bytes)) }
        }
        return out
    }

    /// One series of a range vector: its exposition line's start (`name{labels}`) and samples.
    struct Series {
        let head: [UInt8]
        let samples: [(seconds: Double, value: String)]

        func write(_ sample: (seconds: Double, value: String), into w: inout ByteWriter) {
            w.append(contentsOf: head)
            w.append(" "); w.append(string: sample.value); w.append(" ")
            w.append(string: String(Int64((sample.seconds * 1000).rounded()))); w.append("\n")
        }
    }

    static func rangeVector(of source: SourceSpec, seconds: Int, timeoutMillis: Int32) throws(ScrapeError) -> [Series] {
        let query = "\(source.selector)[\(max(seconds, 1))s]"
        let body = try ScrapeClient.fetch(source, path: source.serverPrefix + "/api/v1/query?query=" + SourceSpec.percentEncoded(query),
                                          accept: "application/json", mediaTypes: ["application/json"], timeoutMillis: timeoutMillis)
        return try series(ofMatrix: body)
    }

    /// `{"status":"success","data":{"resultType":"matrix","result":[{"metric":{…},"values":[[t,"v"],…]}]}}`.
    static func series(ofMatrix body: [UInt8]) throws(ScrapeError) -> [Series] {
        guard let doc = JSONReader.parse(body) else { throw ScrapeError("Prometheus answered with JSON that does not parse") }
        guard doc["status"]?.string == "success", let data = doc["data"], data["resultType"]?.string == "matrix" else {
            throw ScrapeError("Prometheus: \(doc["error"]?.string ?? "not a range-vector answer")")
        }
        return (data["result"]?.array ?? []).compactMap { item -> Series? in
            guard case .object(let metric)? = item["metric"], let name = metric["__name__"]?.string else { return nil }
            var w = ByteWriter(capacity: 128)
            w.append(string: name)
            let labels = metric.filter { $0.key != "__name__" }.sorted { $0.key < $1.key }
            for (i, (key, label)) in labels.enumerated() {
                w.append(i == 0 ? "{" : ","); w.append(string: key); w.append("=\"")
                w.append(labelValue: label.string ?? ""); w.append("\"")
            }
            if !labels.isEmpty { w.append("}") }
            let samples = (item["values"]?.array ?? []).compactMap { pair -> (seconds: Double, value: String)? in
                let p = pair.array
                // Seconds since the epoch that fit an Int64 of milliseconds; anything else is not a sample.
                guard p.count == 2, let seconds = p[0].double, abs(seconds) < 1e12, let value = p[1].string else { return nil }
                return (seconds, value)
            }
            return Series(head: w.bytes, samples: samples.sorted { $0.seconds < $1.seconds })
        }
    }
}
