import Telemetry

/// A table's info series found by a row's labels: of the info results that agree with the row
/// (`RowIndex.agrees`), the one present in the newest slot, else the one present most recently,
/// the first in result order among equals. An info metric's labels change over a stream's life
/// (a new `state`, say), leaving the old series without a value in the newest slot.
///
/// Scanning every info result for every row was quadratic: 2,000 rows × 1,000 info series at
/// 1,000 streams. Results are indexed instead by which of the row's label names they carry
/// (a result agrees with a row on the names it has, and ignores the rest) and by those values,
/// keeping the best per key, so a row costs one lookup per such set of names (usually one).
struct InfoIndex {
    private let results: [QueryResult]
    /// Per result, how many slots back its newest value is (Int.max: none in the window).
    private let ages: [Int]
    /// Per subset of the row names (a bit per name), the best result per value tuple.
    private var byNames: [UInt64: [[String]: Int]] = [:]
    private var rowNames: [String]?

    init(_ results: [QueryResult]) {
        self.results = results
        ages = results.map { $0.values.reversed().firstIndex { $0 != nil } ?? Int.max }
    }

    /// The info result for `row` (nil when none agrees).
    mutating func newest(agreeingWith row: [PrometheusSample.Label]) -> QueryResult? {
        guard !results.isEmpty else { return nil }
        let names = row.map(\.name)
        // 64 names fit the mask; a row with more (never in a dashboard) is scanned.
        guard names.count <= 64 else { return scan(row) }
        if rowNames != names { build(names) }
        var best: Int?
        for (mask, table) in byNames {
            guard let i = table[Self.values(of: row, mask: mask)] else { continue }
            if best == nil || isBetter(i, than: best!) { best = i }
        }
        return best.map { results[$0] }
    }

    private func isBetter(_ i: Int, than j: Int) -> Bool {
        ages[i] != ages[j] ? ages[i] < ages[j] : i < j
    }

    private mutating func build(_ names: [String]) {
        rowNames = names
        byNames = [:]
        for (i, result) in results.enumerated() {
            var mask: UInt64 = 0
            var key: [String] = []
            for (bit, name) in names.enumerated() {
                guard let value = result[label: name] else { continue }
                mask |= 1 << UInt64(bit)
                key.append(value)
            }
            if let held = byNames[mask]?[key], !isBetter(i, than: held) { continue }
            byNames[mask, default: [:]][key] = i
        }
    }

    private static func values(of row: [PrometheusSample.Label], mask: UInt64) -> [String] {
        row.indices.compactMap { mask & (1 << UInt64($0)) != 0 ? row[$0].value : nil }
    }

    private func scan(_ row: [PrometheusSample.Label]) -> QueryResult? {
        var best: Int?
        for i in results.indices where RowIndex.agrees(results[i].labels, with: row) {
            if best == nil || isBetter(i, than: best!) { best = i }
        }
        return best.map { results[$0] }
    }
}
