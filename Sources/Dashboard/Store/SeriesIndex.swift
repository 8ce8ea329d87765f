/// Finds a source's series by id: an open-addressing table of 4-byte positions in the
/// source's `series` table, which holds the ids themselves.
///
/// A `[SeriesID: Int]` kept a second copy of each id (name and labels references, 25 bytes)
/// and an 8-byte position in every bucket, 5 MB at 61,000 series (1,000 bpagent streams); this
/// table is 4 bytes a bucket, at most half of them full, so a miss ends after a probe or two.
struct SeriesIndex: Sendable {
    /// Positions in `series`, -1 where empty; the count is a power of two.
    private var buckets: [Int32] = []
    private var count = 0

    /// The position of the series with `id`, if there is one.
    func find(_ id: SeriesID, in series: SeriesTable) -> Int? {
        guard !buckets.isEmpty else { return nil }
        let mask = buckets.count - 1
        var bucket = id.hashValue & mask
        while buckets[bucket] >= 0 {
            let position = Int(buckets[bucket])
            if series[position].id == id { return position }
            bucket = (bucket + 1) & mask
        }
        return nil
    }

    /// Files `series[position]`, which must not be filed yet.
    mutating func insert(_ position: Int, of series: SeriesTable) {
        if 2 * (count + 1) > buckets.count { return rebuild(series, upTo: position) }
        file(position, id: series[position].id)
        count += 1
    }

    /// Files the first `upTo + 1` series afresh (every one, by default), in a table with room to grow.
    mutating func rebuild(_ series: SeriesTable, upTo last: Int? = nil) {
        count = (last ?? series.count - 1) + 1
        var size = 16
        while size < 4 * count { size *= 2 }
        buckets = Array(repeating: -1, count: size)
        for position in 0..<count { file(position, id: series[position].id) }
    }

    private mutating func file(_ position: Int, id: SeriesID) {
        let mask = buckets.count - 1
        var bucket = id.hashValue & mask
        while buckets[bucket] >= 0 { bucket = (bucket + 1) & mask }
        buckets[bucket] = Int32(position)
    }
}
