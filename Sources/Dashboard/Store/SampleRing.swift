/// A ring of samples stored in as few bytes a slot as its values need, and read back exactly.
///
/// Nearly every series bptop keeps is a counter of whole numbers (bytes, events and above all
/// stall-histogram bucket counts, 46 of a bpagent stream's 61 series) that moves little between
/// slots or not at all; as 8-byte Doubles their slots were 146 MB at 1,000 streams. So a ring
/// of whole numbers stores each slot as its offset from the ring's `base` in `width` bytes, the
/// narrowest of 1 to 6 that holds the ring's range (a 10 Mbit/s byte counter over 300 slots
/// takes 4 bytes a slot, one moving 3 MB in that time 3, an event counter 1 or 2), the
/// width's all-ones value marking a gap; a ring whose every slot is `base` (a stall bucket that
/// stays put) has width 0 and stores nothing at all until a value differs or a gap comes.
/// Widths 3, 5 and 6 besides 1, 2 and 4: every width is read the same way (`SampleWindow`), so
/// the ones in between cost nothing to read and save up to a third of a ring that needs them.
/// A value that does not fit re-encodes the ring, rebased on its smallest value. A value that
/// is not a whole number (a gauge's 0.0123 s, ±∞, -0) or a range wider than 6 bytes turns the
/// ring into the Doubles' own 8-byte bit patterns, NaN marking a gap, as every ring used to be.
/// Each full turn rebases the ring on its smallest value and narrows it when its values fit
/// fewer bytes again (a burst, a gap or a fractional value has left the window): O(capacity)
/// once per capacity appends, and a counter that keeps growing re-encodes only when it
/// outgrows its width.
///
/// Exact: a whole number within ±2^53 is a Double without rounding, an offset is below 2^48,
/// so `base + offset` is the very Double appended.
///
/// A series that appears after its source has scraped for a while starts with `leadingGaps`
/// slots it was absent for: counted, not stored, so a new series costs nothing for its past.
struct SampleRing: Sendable {
    /// Bytes after the last slot, so that every slot, the last too, reads as one 8-byte word.
    private static let padding = 7
    /// The widest offset; a range that needs more is stored as Doubles, which then cost no more.
    private static let widestOffset = 6
    /// The `width` of a ring of Double bit patterns.
    private static let doubleWidth = 8
    /// Slots allocated at first; more are added by doubling up to `capacity`, so memory grows
    /// with what is stored.
    private static let firstAllocation = 8
    /// What every ring of width 0 reads its slots from, shared: such a ring allocates nothing.
    private static let noSlots = [UInt8](repeating: 0, count: 8)

    /// The slots, `width` bytes each, little-endian, oldest at `head` once the ring is full.
    private var bytes: [UInt8] = []
    /// In a ring of whole numbers, a slot holds `value - base`.
    private var base: Int64 = 0
    private var width: UInt8 = 1
    // Counts as Int32: a ring is 40 bytes instead of 64, and there is one per series.
    private var stored: Int32 = 0
    private var allocated: Int32 = 0
    /// The slot of the oldest value once the ring is full (0 before).
    private var head: Int32 = 0
    private let capacity: Int32
    private var leadingGaps: Int32

    init(capacity: Int, leadingGaps: Int = 0) {
        precondition(capacity > 0 && capacity <= Int(Int32.max), "a ring holds 1 to 2^31 - 1 slots")
        self.capacity = Int32(capacity)
        self.leadingGaps = Int32(min(max(leadingGaps, 0), capacity))
    }

    /// Slots stored (leading gaps not counted).
    var count: Int { Int(stored) }

    /// Bytes a slot takes now: 0 to 6 for whole numbers, 8 for Doubles.
    var bytesPerSlot: Int { Int(width) }

    /// Heap bytes the slots take (as allocated; the allocator's own overhead not counted).
    var storageBytes: Int { width == 0 ? 0 : bytes.capacity }

    mutating func append(_ value: Double?) {
        // Full (gaps and stored together): the oldest slot to go is a leading gap, if any is left.
        if leadingGaps > 0, leadingGaps + stored >= capacity { leadingGaps -= 1 }
        if stored == 0 { (base, width) = Self.encoding(of: CollectionOfOne(value)) }
        guard let word = encoded(value) else {
            return reencode(Array(window(count).dropFirst(stored == capacity ? 1 : 0)) + [value])
        }
        if stored < capacity {
            if stored == allocated { grow() }
            put(word, at: Int(stored))
            stored += 1
        } else {
            put(word, at: Int(head))
            head = head + 1 == capacity ? 0 : head + 1  // no division: this runs for every sample
            if head == 0 { tighten() }
        }
    }

    /// Overwrites the newest slot (there must be one).
    mutating func replaceLast(_ value: Double) {
        guard let word = encoded(value) else {
            var values = Array(window(count))
            values[values.count - 1] = value
            return reencode(values)
        }
        put(word, at: Int(head == 0 ? stored - 1 : head - 1))
    }

    /// The newest `n` slots, oldest first, gaps as nil.
    func suffix(_ n: Int) -> [Double?] {
        Array(window(n))
    }

    /// The newest `n` slots (fewer when the source has fewer), read in place.
    func window(_ n: Int) -> SampleWindow {
        let taken = min(max(n, 0), count)
        let gaps = min(max(n - taken, 0), Int(leadingGaps))
        return SampleWindow(bytes: bytes, base: Double(base), width: Int(width), mask: Self.mask(width: Int(width)),
                            gap: width == 0 ? .max : Self.mask(width: Int(width)),
                            holdsDoubles: width == Self.doubleWidth,
                            stored: count, shift: Int(head) + count - taken - gaps, gaps: gaps, count: gaps + taken)
    }

    /// The all-ones word of `width` bytes: a gap (width 0 has none), and the mask a slot is read with.
    private static func mask(width: Int) -> UInt64 {
        width >= doubleWidth ? .max : (1 << (8 * width)) - 1
    }

    /// The largest offset a slot of `width` bytes holds: below the gap's all-ones word.
    private static func largestOffset(width: Int) -> UInt64 {
        width == 0 ? 0 : mask(width: width) - 1
    }

    /// `value` as a whole number a ring can store as an offset: within ±2^53, where every whole
    /// number is exactly a Double, and not -0, whose sign an offset would lose.
    private static func wholeNumber(_ value: Double) -> Int64? {
        guard let whole = Int64(exactly: value), whole.magnitude <= 1 << 53, whole != 0 || value.sign == .plus else { return nil }
        return whole
    }

    /// The base and width that store `values`: the smallest value and the narrowest width that
    /// holds the range (and the gaps, if any), or Doubles.
    private static func encoding(of values: some Sequence<Double?>) -> (base: Int64, width: UInt8) {
        var (low, high, hasGaps) = (Int64.max, Int64.min, false)
        for value in values {
            guard let value else {
                hasGaps = true
                continue
            }
            guard let whole = wholeNumber(value) else { return (0, UInt8(doubleWidth)) }
            (low, high) = (min(low, whole), max(high, whole))
        }
        guard low <= high else { return (0, 1) }
        let range = UInt64(high - low)  // at most 2^54: no overflow
        let narrowest = hasGaps ? 1 : 0
        guard let width = (narrowest...widestOffset).first(where: { range <= largestOffset(width: $0) }) else {
            return (0, UInt8(doubleWidth))
        }
        return (low, UInt8(width))
    }

    /// `value`'s slot word in the ring's encoding; nil when it does not fit.
    private func encoded(_ value: Double?) -> UInt64? {
        guard let value else { return width == 0 ? nil : Self.mask(width: Int(width)) }
        if width == Self.doubleWidth { return value.bitPattern }
        guard let whole = Self.wholeNumber(value) else { return nil }
        let offset = whole - base  // both within ±2^53: no overflow
        return offset >= 0 && UInt64(offset) <= Self.largestOffset(width: Int(width)) ? UInt64(offset) : nil
    }

    private func word(at slot: Int) -> UInt64 {
        bytes.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(fromByteOffset: slot * Int(width), as: UInt64.self)) }
            & Self.mask(width: Int(width))
    }

    /// Writes the low `width` bytes of the 8-byte word at `slot`, leaving the next slots' as they are.
    private mutating func put(_ word: UInt64, at slot: Int) {
        guard width > 0 else { return }  // the only word is 0, and `noSlots` is shared
        let (offset, mask) = (slot * Int(width), Self.mask(width: Int(width)))
        bytes.withUnsafeMutableBytes { raw in
            let old = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            raw.storeBytes(of: ((old & ~mask) | word).littleEndian, toByteOffset: offset, as: UInt64.self)
        }
    }

    private mutating func grow() {
        let slots = min(Int(capacity), max(Self.firstAllocation, 2 * Int(allocated)))
        allocated = Int32(slots)
        guard width > 0 else { return bytes = Self.noSlots }
        let size = slots * Int(width) + Self.padding
        bytes.reserveCapacity(size)  // exactly: appending alone would double the bytes, slack included
        bytes.append(contentsOf: repeatElement(0, count: size - bytes.count))
    }

    /// Stores `values` (oldest first, at most `capacity`) anew in the encoding that fits them.
    private mutating func reencode(_ values: [Double?]) {
        (base, width) = Self.encoding(of: values)
        allocated = max(allocated, Int32(values.count))
        bytes = width == 0 ? Self.noSlots : Array(repeating: 0, count: Int(allocated) * Int(width) + Self.padding)
        (stored, head) = (Int32(values.count), 0)
        for (slot, value) in values.enumerated() { put(encoded(value)!, at: slot) }
    }

    /// After a full turn: narrows the ring when its values fit fewer bytes, else rebases it in
    /// place on its smallest value so a growing counter outgrows its width as late as it can.
    private mutating func tighten() {
        let fit = Self.encoding(of: window(count))
        if fit.width < width { return reencode(Array(window(count))) }
        // The smallest value is not below the old base (only a ring of gaps reads a lower one).
        guard fit.width == width, width != Self.doubleWidth, fit.base > base else { return }
        let (shift, gap) = (UInt64(fit.base - base), Self.mask(width: Int(width)))
        for slot in 0..<count {
            let old = word(at: slot)
            if old != gap { put(old - shift, at: slot) }
        }
        base = fit.base
    }
}

/// The newest slots of a `SampleRing`, oldest first, gaps as nil: what `suffix` returns, read
/// in place instead of copied. A frame reads the window of every series it selects (the
/// stall histograms alone are 30 buckets a stream), and building two arrays per series per
/// query was a quarter of the frame's time.
///
/// Every width reads the same way, one unaligned 8-byte load masked to the width, so a read has
/// no branch on the width; the one on `holdsDoubles` goes the same way for a whole window.
struct SampleWindow: RandomAccessCollection {
    fileprivate let bytes: [UInt8]
    fileprivate let base: Double
    fileprivate let width: Int
    /// The width's all-ones word: the bits of a slot.
    fileprivate let mask: UInt64
    /// The word of a gap: `mask`, except in a ring of width 0, which has none.
    fileprivate let gap: UInt64
    fileprivate let holdsDoubles: Bool
    /// Slots stored in the ring.
    fileprivate let stored: Int
    /// The ring slot of window index `i` is `shift + i`, less `stored` past the ring's end.
    fileprivate let shift: Int
    /// Leading slots before the series first appeared.
    fileprivate let gaps: Int
    let count: Int

    var startIndex: Int { 0 }
    var endIndex: Int { count }

    subscript(i: Int) -> Double? {
        guard i >= gaps else { return nil }
        let slot = shift + i < stored ? shift + i : shift + i - stored
        let word = bytes.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(fromByteOffset: slot * width, as: UInt64.self)) } & mask
        if holdsDoubles {
            let value = Double(bitPattern: word)
            return value.isNaN ? nil : value
        }
        // Offsets are below 2^48: the signed conversion is exact and cheaper than the unsigned.
        return word == gap ? nil : base + Double(Int64(bitPattern: word))
    }
}
