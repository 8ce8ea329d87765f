/// The index from a flow's key to its slot: open addressing with linear probing over at least
/// twice as many buckets as slots, so a lookup is usually one bucket and one key compare.
/// A bucket keeps 32 bits of its key's hash: a probe skips most other keys without touching
/// their slot, and a removal can tell where each following key belongs without rehashing.
/// Removal shifts the keys after the hole back (no tombstones), so probes never lengthen
/// with churn.
struct IndexBucket {
    /// The slot, or -1 for an empty bucket.
    var slot: Int32
    /// The top 32 bits of the key's hash; its top `bucketBits` bits are its home bucket.
    var tag: UInt32

    static let empty = IndexBucket(slot: -1, tag: 0)
}

extension FlowTable {
    enum Probe {
        case found(Int)
        /// Not indexed; the empty bucket where it would go.
        case absent(Int)
    }

    @inline(__always)
    func hashTag(_ hash: UInt64) -> UInt32 { UInt32(truncatingIfNeeded: hash >> 32) }

    @inline(__always)
    private func home(_ tag: UInt32) -> Int { Int(tag >> UInt32(32 - bucketBits)) }

    private var bucketMask: Int { (1 << bucketBits) - 1 }

    @inline(__always)
    func find(_ key: PackedFlowKey, hash: UInt64) -> Probe {
        let tag = hashTag(hash)
        var i = home(tag)
        while true {
            let bucket = buckets[i]
            if bucket.slot < 0 { return .absent(i) }
            if bucket.tag == tag && packedKeys[Int(bucket.slot)] == key { return .found(Int(bucket.slot)) }
            i = (i + 1) & bucketMask
        }
    }

    /// Takes `slot`'s key (which must be indexed) out of the index, moving back the keys after it that probed past it.
    mutating func removeFromIndex(_ slot: Int) {
        var hole = home(hashTag(packedKeys[slot].hash(seed)))
        while buckets[hole].slot != Int32(slot) { hole = (hole + 1) & bucketMask }
        var next = hole
        while true {
            next = (next + 1) & bucketMask
            guard buckets[next].slot >= 0 else { break }
            let wanted = home(buckets[next].tag)
            // The key at `next` stays when its home is cyclically in (hole, next].
            let stays = hole <= next ? (hole < wanted && wanted <= next) : (hole < wanted || wanted <= next)
            if stays { continue }
            buckets[hole] = buckets[next]
            hole = next
        }
        buckets[hole] = .empty
    }
}
