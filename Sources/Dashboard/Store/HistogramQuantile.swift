/// Prometheus' `histogram_quantile` for classic cumulative `le` buckets.
enum HistogramQuantile {
    /// One cumulative bucket: observations ≤ `upperBound`.
    struct Bucket: Equatable {
        var upperBound: Double
        var count: Double
    }

    /// The `q`-quantile, interpolated linearly inside the bucket where the rank falls, as
    /// Prometheus does; nil when there are no observations, no `+Inf` bucket or fewer than
    /// two buckets (Prometheus answers NaN there, which bptop shows as "no data").
    static func quantile(_ q: Double, of unsorted: [Bucket]) -> Double? {
        var buckets = unsorted.sorted { $0.upperBound < $1.upperBound }
        guard buckets.count >= 2, buckets.last?.upperBound == .infinity else { return nil }
        // Scrapes are not atomic across buckets; Prometheus forces counts monotonic the same way.
        for i in buckets.indices.dropFirst() where buckets[i].count < buckets[i - 1].count {
            buckets[i].count = buckets[i - 1].count
        }
        let observations = buckets[buckets.count - 1].count
        guard observations > 0 else { return nil }
        if q < 0 { return -.infinity }
        if q > 1 { return .infinity }
        var rank = q * observations
        let b = buckets.firstIndex { $0.count >= rank }!
        if b == buckets.count - 1 { return buckets[b - 1].upperBound }
        if b == 0 && buckets[0].upperBound <= 0 { return buckets[0].upperBound }
        var start = 0.0
        var count = buckets[b].count
        if b > 0 {
            start = buckets[b - 1].upperBound
            count -= buckets[b - 1].count
            rank -= buckets[b - 1].count
        }
        return start + (buckets[b].upperBound - start) * (rank / count)
    }
}
