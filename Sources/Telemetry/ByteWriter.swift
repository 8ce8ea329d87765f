/// An append-only byte buffer with the few formatting primitives the exposition writers need.
///
/// Writers render tens of thousands of lines per scrape, so this writes straight into raw
/// memory (one bounds check and one memcpy per piece, no `Array.append` machinery) and
/// formats integers in place.
public struct ByteWriter: ~Copyable {
    private var base: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    /// Bytes held now (for a spilling writer, since the last spill).
    public private(set) var count = 0
    /// Set for a writer that hands its bytes on instead of growing (`init(pieceSize:spill:)`).
    private let spill: ((UnsafeRawBufferPointer) -> Void)?
    /// Bytes handed to `spill` so far.
    private var spilled = 0

    public init(capacity: Int = 4096) {
        self.capacity = max(capacity, 64)
        base = .allocate(capacity: self.capacity)
        spill = nil
    }

    /// A writer that never holds more than `pieceSize` bytes: whenever the next piece would
    /// not fit, it hands what it holds to `spill` and starts over. The exporter renders a
    /// 40 MB `/metrics` through one of these straight into response buffers (or zlib): each
    /// piece is copied while still in the CPU's cache, and no 40 MB text is ever held.
    public init(pieceSize: Int, spill: @escaping (UnsafeRawBufferPointer) -> Void) {
        capacity = max(pieceSize, 4096)
        base = .allocate(capacity: capacity)
        self.spill = spill
    }

    deinit { base.deallocate() }

    /// A copy of what was written.
    public var bytes: [UInt8] { Array(UnsafeBufferPointer(start: base, count: count)) }

    /// What was written, without a copy, for as long as `body` runs.
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try body(UnsafeRawBufferPointer(start: base, count: count))
    }

    /// Starts over, keeping the memory: a writer reused for every scrape touches no fresh
    /// pages, which at tens of megabytes costs more than the writing.
    public mutating func removeAll() {
        count = 0
        spilled = 0
    }

    /// Every byte written since the start, spilled ones included.
    public var written: Int { spilled + count }

    /// Hands what the writer holds to `spill` (for a spilling writer; the last piece).
    public mutating func flush() {
        guard let spill, count > 0 else { return }
        spill(UnsafeRawBufferPointer(start: base, count: count))
        spilled += count
        count = 0
    }

    /// Bytes the writer holds without growing.
    public var allocated: Int { capacity }

    /// Makes room for at least `total` bytes in all (a spilling writer has room enough).
    public mutating func reserveCapacity(_ total: Int) {
        guard spill == nil else { return }
        reserve(max(total - count, 0))
    }

    /// Makes room for `n` more bytes: by spilling, or else by growing.
    @inline(__always)
    private mutating func reserve(_ n: Int) {
        guard count + n > capacity else { return }
        makeRoom(n)
    }

    private mutating func makeRoom(_ n: Int) {
        if spill != nil, count > 0 {
            flush()
            if n <= capacity { return }
        }
        var grown = capacity * 2
        while grown < count + n { grown *= 2 }
        let fresh = UnsafeMutablePointer<UInt8>.allocate(capacity: grown)
        fresh.update(from: base, count: count)
        base.deallocate()
        base = fresh
        capacity = grown
    }

    @inline(__always)
    private mutating func append(raw pointer: UnsafeRawPointer, count n: Int) {
        reserve(n)
        (base + count).update(from: pointer.assumingMemoryBound(to: UInt8.self), count: n)
        count += n
    }

    public mutating func append(_ s: StaticString) {
        append(raw: s.utf8Start, count: s.utf8CodeUnitCount)
    }

    /// `s` without its first `n` bytes (ASCII literals only).
    public mutating func append(_ s: StaticString, droppingFirst n: Int) {
        append(raw: s.utf8Start + n, count: s.utf8CodeUnitCount - n)
    }

    /// A run-time string. (Literals go to the `StaticString` overload, which copies without
    /// touching a String: with both overloads named alike, Swift picked this one for literals.)
    public mutating func append(string s: String) {
        var s = s
        s.withUTF8 { append(raw: $0.baseAddress!, count: $0.count) }
    }

    public mutating func append(byte: UInt8) {
        reserve(1)
        base[count] = byte
        count += 1
    }

    public mutating func append(contentsOf other: [UInt8]) {
        other.withUnsafeBytes { if let p = $0.baseAddress { append(raw: p, count: $0.count) } }
    }

    mutating func append(_ piece: TextPiece) {
        append(raw: piece.start, count: piece.count)
    }

    /// Appends `value` in decimal.
    public mutating func append(decimal value: UInt64) {
        withCursor(room: 20) { $0.append(decimal: value) }
    }

    /// Appends microseconds as seconds with up to six decimals ("12.0007", "0.000005", "3").
    public mutating func append(microsAsSeconds micros: UInt64) {
        withCursor(room: 27) { $0.append(microsAsSeconds: micros) }
    }

    /// Appends a Prometheus label value with `\`, `"` and newline escaped.
    public mutating func append(labelValue s: String) {
        withCursor(room: 2 * s.utf8.count) { $0.append(labelValue: s) }
    }

    /// Lets `body` write at most `room` bytes straight into the buffer through a `LineCursor`
    /// (and sets aside the cursor's overrun too).
    @inline(__always)
    mutating func withCursor(room: Int, _ body: (inout LineCursor) -> Void) {
        reserve(room + LineCursor.overrun)
        var cursor = LineCursor(base + count)
        body(&cursor)
        count = cursor.position - base
    }

    /// Where the bytes start; valid until the writer next grows.
    var baseAddress: UnsafePointer<UInt8> { UnsafePointer(base) }
}
