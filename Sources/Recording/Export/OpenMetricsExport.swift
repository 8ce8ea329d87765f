import Dashboard
import Telemetry

/// `bptop export FILE --openmetrics`: every recorded sample with its scrape time, as OpenMetrics
/// text that Prometheus' tools ingest (`promtool tsdb create-blocks-from openmetrics`). Each
/// series gets the `instance` label queries see (its source's name).
///
/// OpenMetrics wants a family's samples together and each series in time order, while a
/// recording holds them scrape by scrape; so the file is read once to count each family's
/// samples, then again for as many families at a time as `sampleBudget` samples hold in memory.
public enum OpenMetricsExport {
    /// Samples held at once: 16 bytes each, 64 MiB.
    static let sampleBudget = 4 << 20

    /// What a run wrote, for the command to report: the reader's one-line problem, and series
    /// left out because OpenMetrics 1.0 cannot name them (names outside `[a-zA-Z_:][a-zA-Z0-9_:]*`).
    public struct Outcome: Sendable {
        public var problem: String?
        public var seriesLeftOut: Int
    }

    public static func write(_ path: String, to output: (borrowing ByteWriter) -> Bool) throws(RecordingError) -> Outcome {
        var counts: [String: Int] = [:]
        var order: [String] = []
        var leftOut = Set<String>()
        let problem = try RecordedSlots.forEach(path) { slot in
            for sample in slot.exposition.samples {
                guard OpenMetricsNames.isLegacy(sample.name), sample.labels.allSatisfy({ OpenMetricsNames.isLegacyLabel($0.name) }) else {
                    leftOut.insert(sample.name + "\(sample.labels)")
                    continue
                }
                let family = slot.exposition.family(of: sample).name
                if counts[family] == nil { order.append(family) }
                counts[family, default: 0] += 1
            }
            return true
        }
        var batch: Set<String> = []
        var batchSamples = 0
        var stopped = false
        for family in order.sorted() where !stopped {
            if batchSamples + counts[family]! > sampleBudget, !batch.isEmpty {
                stopped = try !writeBatch(path, batch, to: output)
                batch = []
                batchSamples = 0
            }
            batch.insert(family)
            batchSamples += counts[family]!
        }
        if !stopped, !batch.isEmpty { stopped = try !writeBatch(path, batch, to: output) }
        if !stopped {
            var w = ByteWriter(capacity: 16)
            w.append("# EOF\n")
            _ = output(w)
        }
        return Outcome(problem: problem, seriesLeftOut: leftOut.count)
    }

    /// One series' points, in time order.
    private struct Points {
        let name: String
        let labels: [PrometheusSample.Label]
        var times: [Double] = []
        var values: [Double] = []
    }

    private struct Family {
        let name: String
        let type: MetricType
        let help: String?
        var series: [Points] = []
        var index: [SeriesKey: Int] = [:]
    }

    private struct SeriesKey: Hashable {
        let name: String
        let labels: [PrometheusSample.Label]
    }

    /// Reads the file for the families in `batch` and writes them; false when output stopped.
    private static func writeBatch(_ path: String, _ batch: Set<String>, to output: (borrowing ByteWriter) -> Bool) throws(RecordingError) -> Bool {
        var families: [String: Family] = [:]
        _ = try RecordedSlots.forEach(path) { slot in
            for sample in slot.exposition.samples {
                let declared = slot.exposition.family(of: sample)
                guard batch.contains(declared.name), OpenMetricsNames.isLegacy(sample.name),
                      sample.labels.allSatisfy({ OpenMetricsNames.isLegacyLabel($0.name) }) else { continue }
                var labels = sample.labels.filter { $0.name != TimeSeriesStore.sourceLabel }
                labels.append(.init(TimeSeriesStore.sourceLabel, slot.source))
                labels.sort { $0.name < $1.name }
                let key = SeriesKey(name: sample.name, labels: labels)
                var family = families[declared.name] ?? Family(name: declared.name, type: declared.type, help: declared.help)
                let i = family.index[key] ?? {
                    family.series.append(Points(name: sample.name, labels: labels))
                    family.index[key] = family.series.count - 1
                    return family.series.count - 1
                }()
                family.series[i].times.append(slot.time)
                family.series[i].values.append(sample.value)
                families[declared.name] = family
            }
            return true
        }
        for name in families.keys.sorted() {
            var w = ByteWriter(capacity: 1 << 16)
            let family = families[name]!
            let (omName, omType) = OpenMetricsNames.family(family.name, type: family.type, sampleNames: family.series.map(\.name))
            w.append("# TYPE ")
            w.append(string: omName)
            w.append(byte: 0x20)
            w.append(string: omType)
            w.append(byte: 0x0A)
            if let help = family.help {
                w.append("# HELP ")
                w.append(string: omName)
                w.append(byte: 0x20)
                w.append(string: OpenMetricsNames.escapedHelp(help))
                w.append(byte: 0x0A)
            }
            for series in family.series {
                for (time, value) in zip(series.times, series.values) {
                    w.append(string: series.name)
                    w.append("{")
                    for (i, label) in series.labels.enumerated() {
                        if i > 0 { w.append(",") }
                        w.append(string: label.name)
                        w.append("=\"")
                        w.append(labelValue: label.value)
                        w.append("\"")
                    }
                    w.append("} ")
                    w.append(string: OpenMetricsNames.number(value))
                    w.append(byte: 0x20)
                    w.append(string: OpenMetricsNames.timestamp(time))
                    w.append(byte: 0x0A)
                    if w.count > 1 << 20 {
                        guard output(w) else { return false }
                        w.removeAll()
                    }
                }
            }
            guard output(w) else { return false }
        }
        return true
    }
}
