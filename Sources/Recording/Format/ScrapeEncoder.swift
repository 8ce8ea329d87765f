import Telemetry

/// Turns parsed scrapes into `family`, `series` and `scrape` records. Every series and family
/// is written once, when first seen, and numbered; a scrape then lists series numbers (as the
/// step from the previous one: 0 when they come in the same order as last time) and each value
/// as the change from that series' previous value (one byte when unchanged). Deflate turns those
/// runs of small, repeated bytes into a fraction of a byte per sample.
struct ScrapeEncoder {
    private struct SeriesKey: Hashable {
        let name: String
        let labels: [PrometheusSample.Label]
    }

    private struct FamilyKey: Hashable {
        let name: String
        let type: String
        let help: String?
    }

    /// Series numbered before numbering starts again (a `forget` record).
    var maxNumberedSeries = RecordingFile.maxNumberedSeries
    private var seriesNumbers: [SeriesKey: Int] = [:]
    private var familyNumbers: [FamilyKey: Int] = [:]
    private var previousValues: [Double] = []

    /// Calls `emit` with each record the scrape needs (definitions first, then the scrape).
    mutating func encode(source: Int, exposition: ParsedExposition, time: Double, times: inout TimeCoding,
                         emit: (RecordKind, RecordBytes) -> Void) {
        var body = RecordBytes()
        if previousValues.count + exposition.samples.count > maxNumberedSeries {
            seriesNumbers = [:]
            familyNumbers = [:]
            previousValues = []
            emit(.forget, body)
        }
        var families: [Int] = []
        for family in exposition.families.values {
            let key = FamilyKey(name: family.name, type: family.type.rawValue, help: family.help)
            if let n = familyNumbers[key] {
                families.append(n)
                continue
            }
            body.removeAll()
            body.append(string: family.name)
            body.append(string: family.type.rawValue)
            body.append(byte: family.help == nil ? 0 : 1)
            if let help = family.help { body.append(string: help) }
            emit(.family, body)
            familyNumbers[key] = familyNumbers.count
            families.append(familyNumbers.count - 1)
        }
        var numbers: [Int] = []
        numbers.reserveCapacity(exposition.samples.count)
        for sample in exposition.samples {
            let key = SeriesKey(name: sample.name, labels: sample.labels)
            if let n = seriesNumbers[key] {
                numbers.append(n)
                continue
            }
            body.removeAll()
            body.append(string: sample.name)
            body.append(varint: UInt64(sample.labels.count))
            for label in sample.labels {
                body.append(string: label.name)
                body.append(string: label.value)
            }
            emit(.series, body)
            seriesNumbers[key] = previousValues.count
            numbers.append(previousValues.count)
            previousValues.append(0)
        }
        body.removeAll()
        body.append(varint: UInt64(source))
        times.write(time, into: &body)
        body.append(varint: UInt64(exposition.skippedLines))
        body.append(varint: UInt64(exposition.skippedExamples.count))
        for example in exposition.skippedExamples {
            body.append(varint: UInt64(max(example.line, 0)))
            body.append(string: example.reason)
        }
        body.append(varint: UInt64(families.count))
        var previous = -1
        for n in families.sorted() {
            body.append(varint: UInt64(n - previous - 1))
            previous = n
        }
        body.append(varint: UInt64(numbers.count))
        previous = -1
        for (sample, n) in zip(exposition.samples, numbers) {
            body.append(signed: Int64(n - previous - 1))
            previous = n
            writeValue(sample, of: n, into: &body)
        }
        emit(.scrape, body)
    }

    /// A tag byte (`ValueTag`), then what the tag says follows.
    private mutating func writeValue(_ sample: PrometheusSample, of n: Int, into body: inout RecordBytes) {
        let value = sample.value
        let last = previousValues[n]
        let stamped: UInt8 = sample.timestampMillis == nil ? 0 : ValueTag.timestamped
        if value.bitPattern == last.bitPattern {
            body.append(byte: ValueTag.same | stamped)
        } else if let delta = ValueTag.integerDelta(from: last, to: value) {
            body.append(byte: ValueTag.delta | stamped)
            body.append(signed: delta)
        } else {
            body.append(byte: ValueTag.raw | stamped)
            body.append(double: value)
        }
        if let millis = sample.timestampMillis { body.append(signed: millis) }
        previousValues[n] = value
    }
}

/// How a sample's value is written: unchanged, a whole-number step, or its 8 bytes; with
/// `timestamped` set, the exporter's own timestamp (milliseconds) follows.
enum ValueTag {
    static let same: UInt8 = 0
    static let delta: UInt8 = 1
    static let raw: UInt8 = 2
    static let kindMask: UInt8 = 3
    static let timestamped: UInt8 = 4

    /// The step from `last` to `value` when both are whole numbers that doubles hold exactly
    /// (counters, byte counts) and adding it back gives `value` bit for bit.
    static func integerDelta(from last: Double, to value: Double) -> Int64? {
        let limit = 9_007_199_254_740_992.0  // 2^53
        guard last.magnitude < limit, value.magnitude < limit, last.rounded() == last, value.rounded() == value else { return nil }
        guard Double(Int64(value)).bitPattern == value.bitPattern, Double(Int64(last)).bitPattern == last.bitPattern else { return nil }
        return Int64(value) - Int64(last)
    }
}
