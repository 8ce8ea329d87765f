/// The values of every per-stream family, gathered in one pass over the streams and laid out
/// in the order the lines are written: family by family, then stream by stream (the streams
/// that have the family), c2s before s2c, sample by sample; the stall histograms last.
///
/// The lines go out family by family, sixteen passes over the streams; reading each value in
/// the snapshot itself took a cache miss per stream-direction per pass (a 10,000-stream
/// snapshot is 5.6 MB, a stream 560 bytes apart from the next, its stall buckets in an array
/// of their own), most of a render's time. Here the snapshot is read once, in order, its
/// misses overlapping, and each pass reads its own values front to back.
struct StreamValues: ~Copyable {
    /// One section per family (by index in `StreamLineTexts.families`), then the stall
    /// histograms of c2s and of s2c: per relayed stream, the cumulative count of each bucket
    /// and the sum in microseconds (`histogramLength` values).
    ///
    /// Each section is an allocation of its own, so that each stays under glibc's mmap threshold
    /// (4 MB, which bpagent sets: `AgentRuntime`) up to 20,000 streams. The 6 MB of one
    /// allocation for 10,000 streams found no room in the agent's free heap and was mapped afresh
    /// at every scrape: 1,348 page faults per scrape (`Scripts/bench-metrics`), against none.
    private let sections: [UnsafeMutableBufferPointer<UInt64>]
    static let histogramLength = StallBuckets.count + 1

    init(_ streams: [StreamSnapshot], kinds: [StreamKinds], families: [StreamLineTexts.Family]) {
        let relayed = kinds.reduce(0) { $1.contains(.relayed) ? $0 + 1 : $0 }
        let sizes = families.map { family in
            kinds.reduce(0) { $1.isDisjoint(with: family.kinds) ? $0 : $0 + 1 } * 2 * family.samples.count
        } + [relayed * Self.histogramLength, relayed * Self.histogramLength]
        sections = sizes.map { UnsafeMutableBufferPointer.allocate(capacity: $0) }
        // The families flattened, so the pass below copies no `Family` (and its array) per stream.
        let familyKinds = families.map(\.kinds)
        let sampleOffsets = families.map { $0.samples.map(\.offset) }
        let firstOffset = sampleOffsets.reduce(into: [0]) { $0.append($0.last! + $1.count) }
        let offsets = sampleOffsets.flatMap { $0 }
        let directions = Self.directionOffsets
        var next = sections.map { $0.baseAddress! }
        next.withUnsafeMutableBufferPointer { next in
            streams.withUnsafeBytes { streams in
                for (i, kind) in kinds.enumerated() where !kind.isEmpty {
                    let stream = streams.baseAddress! + i &* MemoryLayout<StreamSnapshot>.stride
                    for f in familyKinds.indices where !kind.isDisjoint(with: familyKinds[f]) {
                        for direction in directions {
                            for k in firstOffset[f]..<firstOffset[f + 1] {
                                next[f].initialize(to: stream.load(fromByteOffset: direction &+ offsets[k], as: UInt64.self))
                                next[f] += 1
                            }
                        }
                    }
                    guard kind.contains(.relayed) else { continue }
                    for (dir, direction) in directions.enumerated() {
                        let d = (stream + direction).assumingMemoryBound(to: DirectionSnapshot.self)
                        let out = next[familyKinds.count &+ dir]
                        d.pointee.stallBuckets.withUnsafeBufferPointer { buckets in
                            var cumulative: UInt64 = 0
                            for b in 0..<StallBuckets.count {
                                cumulative &+= b < buckets.count ? buckets[b] : 0
                                out[b] = cumulative
                            }
                        }
                        out[StallBuckets.count] = d.pointee.stallSumMicros
                        next[familyKinds.count &+ dir] += Self.histogramLength
                    }
                }
            }
        }
    }

    deinit {
        for section in sections { section.deallocate() }
    }

    /// Family `index`'s values.
    subscript(family index: Int) -> UnsafeBufferPointer<UInt64> { UnsafeBufferPointer(sections[index]) }

    /// The stall histograms of one direction.
    subscript(histograms dir: Direction) -> UnsafeBufferPointer<UInt64> {
        UnsafeBufferPointer(sections[sections.count - 2 + dir.rawValue])
    }

    /// Where `c2s` and `s2c` are in a `StreamSnapshot`, by `Direction.rawValue`.
    private static let directionOffsets = [\StreamSnapshot.c2s, \StreamSnapshot.s2c].map {
        MemoryLayout<StreamSnapshot>.offset(of: $0)!
    }
}
