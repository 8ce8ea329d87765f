/// A source's series in chunks of a fixed size, so growing never copies them: an array
/// doubles, and at 80,000 series (1,000 bpagent streams) its growth held the old 6 MB beside
/// the new 12 MB, the top of bptop's memory, and left a third of the new one unused. A chunk
/// is added when the last is full; a series is found by its position as in an array.
struct SeriesTable: RandomAccessCollection, MutableCollection, Sendable {
    private static let shift = 12
    private static let chunkSize = 1 << shift
    private var chunks: [[StoredSeries]] = []

    private(set) var count = 0
    var startIndex: Int { 0 }
    var endIndex: Int { count }

    /// In place: a series' slots are appended through this without copying its ring.
    subscript(position: Int) -> StoredSeries {
        get {
            precondition(position >= 0 && position < count, "series position out of range")
            return chunks[position >> Self.shift][position & (Self.chunkSize - 1)]
        }
        _modify {
            precondition(position >= 0 && position < count, "series position out of range")
            yield &chunks[position >> Self.shift][position & (Self.chunkSize - 1)]
        }
    }

    mutating func append(_ series: StoredSeries) {
        if count & (Self.chunkSize - 1) == 0 {
            // The first chunk grows as an array does (a small source stays small); later ones
            // are taken whole.
            var chunk: [StoredSeries] = []
            if !chunks.isEmpty { chunk.reserveCapacity(Self.chunkSize) }
            chunks.append(chunk)
        }
        chunks[chunks.count - 1].append(series)
        count += 1
    }

    /// Drops the series `remove` accepts, keeping the others in their order (eviction: rare).
    mutating func removeAll(where remove: (StoredSeries) -> Bool) {
        var kept = SeriesTable()
        for series in self where !remove(series) { kept.append(series) }
        self = kept
    }
}
