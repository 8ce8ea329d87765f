/// The values of every per-stream family, gathered in one pass over the streams and laid out
/// in the order the lines are written: family by family, then stream by stream (the streams
/// that have the family), c2s before s2c, sample by sample; the stall histograms last.
///
/// The lines go out family by family, sixteen passes over the streams; reading each value in
/// the snapshot itself took a cache miss per stream-direction per pass (a 10,000-stream
/// snapshot is 5.6 MB, a stream 560 bytes apart from the next, its stall buckets in an array
/// of their own), most of a render's time. Here the snapshot is read once, in order, its
/// misses overlapping, and each pass reads its own values front to back.
struct StreamValues {
    private let values: [UInt64]
    /// Where each family's values start and end, by index in `StreamLineTexts.families`.
    private let bounds: [Range<Int>]
    /// Where the stall histograms are: per relayed stream-direction, the cumulative count of
    /// each bucket (`histogramLength - 1` of them) and the sum in microseconds.
    private let histograms: Range<Int>
    static let histogramLength = StallBuckets.count + 1

    init(_ streams: [StreamSnapshot], kinds: [StreamKinds], families: [StreamLineTexts.Family]) {
        var bounds: [Range<Int>] = []
        var total = 0
        for family in families {
            let count = kinds.reduce(0) { $1.isDisjoint(with: family.kinds) ? $0 : $0 + 1 } * 2 * family.samples.count
            bounds.append(total..<total + count)
            total += count
        }
        let relayed = kinds.reduce(0) { $1.contains(.relayed) ? $0 + 1 : $0 }
        let histograms = total..<total + relayed * 2 * Self.histogramLength
        total = histograms.upperBound
        // The families flattened, so the pass below copies no `Family` (and its array) per stream.
        let familyKinds = families.map(\.kinds)
        let sampleOffsets = families.map { $0.samples.map(\.offset) }
        let firstOffset = sampleOffsets.reduce(into: [0]) { $0.append($0.last! + $1.count) }
        let offsets = sampleOffsets.flatMap { $0 }
        let directions = Self.directionOffsets
        values = [UInt64](unsafeUninitializedCapacity: total) { out, count in
            var next = bounds.map(\.lowerBound)
            var histogram = histograms.lowerBound
            streams.withUnsafeBytes { streams in
                for (i, kind) in kinds.enumerated() where !kind.isEmpty {
                    let stream = streams.baseAddress! + i &* MemoryLayout<StreamSnapshot>.stride
                    for f in familyKinds.indices where !kind.isDisjoint(with: familyKinds[f]) {
                        var at = next[f]
                        for direction in directions {
                            for k in firstOffset[f]..<firstOffset[f + 1] {
                                out[at] = stream.load(fromByteOffset: direction &+ offsets[k], as: UInt64.self)
                                at &+= 1
                            }
                        }
                        next[f] = at
                    }
                    guard kind.contains(.relayed) else { continue }
                    for direction in directions {
                        let d = (stream + direction).assumingMemoryBound(to: DirectionSnapshot.self)
                        d.pointee.stallBuckets.withUnsafeBufferPointer { buckets in
                            var cumulative: UInt64 = 0
                            for b in 0..<StallBuckets.count {
                                cumulative &+= b < buckets.count ? buckets[b] : 0
                                out[histogram &+ b] = cumulative
                            }
                        }
                        out[histogram &+ StallBuckets.count] = d.pointee.stallSumMicros
                        histogram &+= Self.histogramLength
                    }
                }
            }
            count = total
        }
        self.bounds = bounds
        self.histograms = histograms
    }

    /// Family `index`'s values, for as long as `body` runs.
    func withValues<R>(ofFamily index: Int, _ body: (UnsafeBufferPointer<UInt64>) -> R) -> R {
        values.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[bounds[index]])) }
    }

    /// The stall histograms, for as long as `body` runs.
    func withHistograms<R>(_ body: (UnsafeBufferPointer<UInt64>) -> R) -> R {
        values.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[histograms])) }
    }

    /// Where `c2s` and `s2c` are in a `StreamSnapshot`, by `Direction.rawValue`.
    private static let directionOffsets = [\StreamSnapshot.c2s, \StreamSnapshot.s2c].map {
        MemoryLayout<StreamSnapshot>.offset(of: $0)!
    }
}
