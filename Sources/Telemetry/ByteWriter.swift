/// An append-only byte buffer with the few formatting primitives the exposition writers need.
///
/// Writers render tens of thousands of lines per scrape, so this writes straight into raw
/// memory (one bounds check and one memcpy per piece, no `Array.append` machinery) and
/// formats integers in place.
public struct ByteWriter: ~Copyable {
    private var base: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    public private(set) var count = 0

    public init(capacity: Int = 4096) {
        self.capacity = max(capacity, 64)
        base = .allocate(capacity: self.capacity)
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
    }

    /// Bytes the writer holds without growing.
    public var allocated: Int { capacity }

    /// Makes room for at least `total` bytes in all.
    public mutating func reserveCapacity(_ total: Int) {
        reserve(max(total - count, 0))
    }

    /// Makes room for `n` more bytes.
    @inline(__always)
    private mutating func reserve(_ n: Int) {
        guard count + n > capacity else { return }
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

    /// Appends `value` in decimal.
    public mutating func append(decimal value: UInt64) {
        var digits = 1
        var probe = value
        while probe >= 10 { probe /= 10; digits += 1 }
        reserve(digits)
        var v = value
        var i = count + digits - 1
        repeat {
            base[i] = UInt8(truncatingIfNeeded: v % 10) &+ 48
            v /= 10
            i -= 1
        } while v > 0
        count += digits
    }

    /// Appends microseconds as seconds with up to six decimals ("12.0007", "0.000005", "3").
    public mutating func append(microsAsSeconds micros: UInt64) {
        append(decimal: micros / 1_000_000)
        var frac = micros % 1_000_000
        guard frac != 0 else { return }
        append(byte: UInt8(ascii: "."))
        var width = 6
        while frac % 10 == 0 { frac /= 10; width -= 1 }
        var scale: UInt64 = 1
        for _ in 1..<width { scale *= 10 }
        while scale > 0 {
            append(byte: UInt8(truncatingIfNeeded: (frac / scale) % 10) &+ 48)
            scale /= 10
        }
    }

    /// Appends a Prometheus label value with `\`, `"` and newline escaped.
    public mutating func append(labelValue s: String) {
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "\\"): append("\\\\")
            case UInt8(ascii: "\""): append("\\\"")
            case UInt8(ascii: "\n"): append("\\n")
            default: append(byte: b)
            }
        }
    }
}
