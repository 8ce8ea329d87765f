/// The values of every per-stream family, gathered in one pass over the streams and laid out
/// in the order the lines are written: family by family, then stream by stream (the streams
/// that have the family), c2s before s2c, sample by sample.
///
/// The lines go out family by family, fifteen passes over the streams; reading each value in
/// the snapshot itself took a cache miss per stream-direction per pass (a 10,000-stream
/// snapshot is 5.6 MB, a stream 560 bytes apart from the next), most of a render's time. Here
/// the snapshot is read once, in order, its misses overlapping, and each pass reads its own
/// values front to back.
struct StreamValues: ~Copyable {
    /// One section per family (by index in `StreamLineTexts.families`), each an allocation of
    /// its own, freed as soon as its lines are written (`consumeFamily`): the response's pieces
    /// grow meanwhile, and the agent's peak memory during a scrape (which decides whether the
    /// heap must map fresh pages) grows by less than one family's values.
    private var sections: [UnsafeMutableBufferPointer<UInt64>?]

    init(_ streams: [StreamSnapshot], kinds: [StreamKinds], families: [StreamLineTexts.Family]) {
        let sections = families.map { family in
            UnsafeMutableBufferPointer<UInt64>.allocate(
                capacity: kinds.reduce(0) { $1.isDisjoint(with: family.kinds) ? $0 : $0 + 1 } * 2 * family.samples.count)
        }
        // The families flattened, so the pass below copies no `Family` (and its array) per stream.
        let familyKinds = families.map(\.kinds)
        let sampleOffsets = families.map { $0.samples.map(\.offset) }
        let firstOffset = sampleOffsets.reduce(into: [0]) { $0.append($0.last! + $1.count) }
        let offsets = sampleOffsets.flatMap { $0 }
        let directions = Direction.allCases.map(StallHistogramValues.offset(of:))
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
                }
            }
        }
        self.sections = sections
    }

    deinit {
        for section in sections { section?.deallocate() }
    }

    /// Lets `body` read family `index`'s values, then frees them.
    mutating func consumeFamily(_ index: Int, _ body: (UnsafeBufferPointer<UInt64>) -> Void) {
        guard let section = sections[index] else { return }
        body(UnsafeBufferPointer(section))
        section.deallocate()
        sections[index] = nil
    }
}

/// The stall histograms of a run of relayed streams, gathered just before their lines are
/// written: per stream, c2s then s2c, the cumulative count of each bucket and the sum in
/// microseconds (`length` values).
///
/// Written in place, each stream-direction's histogram took two dependent cache misses (the
/// stream, then its bucket array) before its 25 lines. Gathered for `streamsPerRun` streams
/// at a time, the misses overlap, and the values stay in the cache for the lines.
struct StallHistogramValues: ~Copyable {
    static let streamsPerRun = 256
    static let length = StallBuckets.count + 1
    private let buffer: UnsafeMutableBufferPointer<UInt64>

    init() {
        buffer = .allocate(capacity: Self.streamsPerRun * 2 * Self.length)
    }

    deinit { buffer.deallocate() }

    /// The histograms of the streams at `indices` (at most `streamsPerRun`, relayed ones).
    func gather(_ streams: UnsafeBufferPointer<StreamSnapshot>, _ indices: ArraySlice<Int>) -> UnsafeBufferPointer<UInt64> {
        var out = buffer.baseAddress!
        for i in indices {
            for dir in Direction.allCases {
                // Through the pointer, so neither the stream nor its direction is copied.
                let d = UnsafeRawPointer(streams.baseAddress! + i).advanced(by: Self.offset(of: dir))
                    .assumingMemoryBound(to: DirectionSnapshot.self)
                d.pointee.stallBuckets.withUnsafeBufferPointer { buckets in
                    var cumulative: UInt64 = 0
                    for b in 0..<StallBuckets.count {
                        cumulative &+= b < buckets.count ? buckets[b] : 0
                        out[b] = cumulative
                    }
                }
                out[StallBuckets.count] = d.pointee.stallSumMicros
                out += Self.length
            }
        }
        return UnsafeBufferPointer(rebasing: buffer[..<(out - buffer.baseAddress!)])
    }

    /// Where a direction is in a `StreamSnapshot`.
    static func offset(of dir: Direction) -> Int {
        dir == .c2s ? c2sOffset : s2cOffset
    }

    private static let c2sOffset = MemoryLayout<StreamSnapshot>.offset(of: \.c2s)!
    private static let s2cOffset = MemoryLayout<StreamSnapshot>.offset(of: \.s2c)!
}
