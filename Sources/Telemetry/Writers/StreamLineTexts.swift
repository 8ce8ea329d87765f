/// The fixed text of the per-stream lines, built once: every per-stream line is a sample name,
/// the stream-direction's labels (`StreamPrefixes`), the rest of its labels, and a number.
/// Both dialects write the per-stream lines alike (no `_created`; see `ExpositionWriter.sample`).
struct StreamLineTexts: @unchecked Sendable {
    // Immutable; the pieces point into `pieces`, which this keeps.

    /// One `DirectionFamily`'s lines: `bpagent_buffer_full_total` and its samples.
    struct Family {
        let name: TextPiece
        let samples: [Sample]
        let seconds: Bool
        /// The streams that have the family.
        let kinds: StreamKinds
        /// Room the lines of one stream-direction take at most, without the stream labels.
        let room: Int
    }

    /// One sample of a family: the end of its labels (`,errno="EAGAIN"} `) and where its value
    /// is in a `DirectionSnapshot` (`MemoryLayout.offset(of:)` of its key path).
    struct Sample {
        let labelsEnd: TextPiece
        let offset: Int
    }

    private let pieces: TextPieces
    let families: [Family]
    /// `bpagent_stall_seconds_bucket`, `_sum`, `_count`; `,le="0.000005"} ` … `,le="+Inf"} `; `} `.
    let bucket, sum, count: TextPiece
    let bucketLabelEnds: [TextPiece]
    let labelsEnd: TextPiece
    /// `bpagent_stream_info{stream="`, `",proto="`, … `",flow="`, `"} 1\n`.
    let info: [TextPiece]
    /// `bpagent_stream_state{stream="`, `"} `.
    let state: [TextPiece]

    /// Room a number takes at most (seconds with six decimals), with its newline.
    static let numberRoom = 28

    static let shared = StreamLineTexts()

    private init() {
        var familyRanges: [(name: Int, ends: Range<Int>, family: DirectionFamily)] = []
        let infoTexts: [StaticString] = ["bpagent_stream_info{stream=\"", "\",proto=\"", "\",local=\"", "\",peer=\"",
                                         "\",upstream_local=\"", "\",upstream_peer=\"", "\",flow=\"", "\"} 1\n"]
        let stateTexts: [StaticString] = ["bpagent_stream_state{stream=\"", "\"} "]
        pieces = TextPieces { b in
            var index = 0
            func end() { b.endPiece(); index += 1 }
            for family in DirectionFamily.all {
                b.text.append(family.name)
                if family.type == .counter { b.text.append("_total") }
                end()
                let name = index - 1
                for sample in family.samples {
                    if let labels = sample.labels { b.text.append(labels) }
                    b.text.append("} ")
                    end()
                }
                familyRanges.append((name, name + 1..<index, family))
            }
            for suffix: StaticString in ["_bucket", "_sum", "_count"] {
                b.text.append("bpagent_stall_seconds"); b.text.append(suffix); end()
            }
            for i in 0..<StallBuckets.count {
                b.text.append(",le=\"")
                if i < StallBuckets.upperBoundsMicros.count {
                    b.text.append(microsAsSeconds: StallBuckets.upperBoundsMicros[i])
                } else {
                    b.text.append("+Inf")
                }
                b.text.append("\"} ")
                end()
            }
            b.text.append("} "); end()
            for t in infoTexts + stateTexts { b.text.append(t); end() }
        }
        let p = pieces.pieces
        families = familyRanges.map { r in
            let samples = zip(r.ends, r.family.samples).map { end, sample in
                // Every sample's value is a stored UInt64 of the snapshot, so it has an offset.
                Sample(labelsEnd: p[end], offset: MemoryLayout<DirectionSnapshot>.offset(of: sample.value)!)
            }
            let room = samples.reduce(0) { $0 + p[r.name].count + $1.labelsEnd.count + Self.numberRoom }
            return Family(name: p[r.name], samples: samples, seconds: r.family.unit == .seconds,
                          kinds: StreamKinds(of: r.family), room: room)
        }
        var next = familyRanges.last.map { $0.ends.upperBound } ?? 0
        func take(_ n: Int) -> ArraySlice<TextPiece> {
            defer { next += n }
            return p[next..<next + n]
        }
        let histogram = take(3)
        (bucket, sum, count) = (histogram[histogram.startIndex], histogram[histogram.startIndex + 1], histogram[histogram.startIndex + 2])
        bucketLabelEnds = Array(take(StallBuckets.count))
        labelsEnd = take(1).first!
        info = Array(take(infoTexts.count))
        state = Array(take(stateTexts.count))
    }

    /// Room one stream-direction's stall histogram takes at most, without the stream labels.
    var histogramRoom: Int {
        bucketLabelEnds.reduce(0) { $0 + bucket.count + $1.count + Self.numberRoom }
            + sum.count + count.count + 2 * (labelsEnd.count + Self.numberRoom)
    }
}

/// `{stream="N",dir="c2s"` for every stream-direction of one snapshot (index `2 × stream + dir`):
/// every per-stream line starts its labels with one of these.
struct StreamPrefixes {
    private let pieces: TextPieces
    /// The longest prefix, for sizing the room of a stream's lines.
    let longest: Int

    init(_ streams: [StreamSnapshot]) {
        pieces = TextPieces(capacity: 64 + streams.count * 2 * 32) { b in
            for s in streams {
                for dir in Direction.allCases {
                    b.text.append("{stream=\""); b.text.append(decimal: s.identity.id)
                    b.text.append(dir == .c2s ? "\",dir=\"c2s\"" : "\",dir=\"s2c\"")
                    b.endPiece()
                }
            }
        }
        longest = pieces.pieces.reduce(0) { max($0, $1.count) }
    }

    subscript(stream stream: Int, dir dir: Direction) -> TextPiece { pieces[2 * stream + dir.rawValue] }
}
