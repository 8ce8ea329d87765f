import Telemetry

/// Reads what `ScrapeEncoder` wrote back into the `ParsedExposition` the recorder was given:
/// the same samples in the same order, the same families and skipped lines.
struct ScrapeDecoder {
    private var families: [MetricFamily] = []
    private var series: [(name: String, labels: [PrometheusSample.Label])] = []
    private var previousValues: [Double] = []

    /// A `forget` record: numbering starts again.
    mutating func forget() {
        families = []
        series = []
        previousValues = []
    }

    mutating func readFamily(_ cursor: inout RecordCursor) throws(RecordCursor.Malformed) {
        let name = try cursor.string()
        guard let type = MetricType(rawValue: try cursor.string()) else { throw RecordCursor.Malformed() }
        let help = try cursor.byte() == 0 ? nil : try cursor.string()
        families.append(MetricFamily(name: name, type: type, help: help))
    }

    mutating func readSeries(_ cursor: inout RecordCursor) throws(RecordCursor.Malformed) {
        let name = try cursor.string()
        let count = try cursor.count(perItem: 2)
        var labels: [PrometheusSample.Label] = []
        labels.reserveCapacity(count)
        for _ in 0..<count { labels.append(.init(try cursor.string(), try cursor.string())) }
        series.append((name, labels))
        previousValues.append(0)
    }

    mutating func readScrape(_ cursor: inout RecordCursor, times: inout TimeCoding)
        throws(RecordCursor.Malformed) -> (source: Int, exposition: ParsedExposition, time: Double) {
        let source = try cursor.count()
        let time = try times.read(&cursor)
        var exposition = ParsedExposition()
        exposition.skippedLines = try cursor.count()
        for _ in 0..<(try cursor.count(perItem: 2)) {
            exposition.skippedExamples.append(.init(line: try cursor.count(), reason: try cursor.string()))
        }
        var n = -1
        for _ in 0..<(try cursor.count()) {
            let step = try cursor.varint()
            guard step < UInt64(families.count - n - 1) else { throw RecordCursor.Malformed() }
            n += Int(step) + 1
            exposition.families[families[n].name] = families[n]
        }
        let count = try cursor.count(perItem: 2)
        exposition.samples.reserveCapacity(count)
        n = -1
        for _ in 0..<count {
            let step = try cursor.signed()
            guard step >= -Int64(n) - 1, step < Int64(series.count - n - 1) else { throw RecordCursor.Malformed() }
            n += Int(step) + 1
            let tag = try cursor.byte()
            var value = previousValues[n]
            switch tag & ValueTag.kindMask {
            case ValueTag.same: break
            case ValueTag.delta:
                guard value.magnitude < 9_007_199_254_740_992, value.rounded() == value else { throw RecordCursor.Malformed() }
                value = Double(Int64(value) &+ (try cursor.signed()))
            case ValueTag.raw: value = try cursor.double()
            default: throw RecordCursor.Malformed()
            }
            let millis = tag & ValueTag.timestamped != 0 ? try cursor.signed() : nil
            previousValues[n] = value
            exposition.samples.append(PrometheusSample(name: series[n].name, labels: series[n].labels, value: value, timestampMillis: millis))
        }
        return (source, exposition, time)
    }
}
