/// The numbers of the text format, read straight from UTF-8 bytes without building strings.
enum NumberParsing {
    /// A sample value or a `le`/`quantile` label: a decimal float with an optional exponent,
    /// or `NaN`, `Inf`, `Infinity` (any case, the infinities with an optional sign) — what
    /// Prometheus' own parser accepts. Hex floats, digit separators, empty input and decimals
    /// beyond a Double's range (`1e400`, which Prometheus rejects as out of range) are not numbers.
    static func double(_ s: UnsafeBufferPointer<UInt8>) -> Double? {
        var i = 0
        let negative = sign(s, &i)
        guard i < s.count else { return nil }
        if s[i] | 0x20 >= UInt8(ascii: "a"), s[i] | 0x20 <= UInt8(ascii: "z") {
            return special(UnsafeBufferPointer(rebasing: s[i...]), signed: i > 0, negative: negative)
        }

        // Only the first 15 significant digits are kept: more than that take the slow path.
        var mantissa: UInt64 = 0
        var digits = 0
        var exponent = 0
        var sawDigit = false
        var inFraction = false
        while i < s.count {
            let b = s[i]
            if b == UInt8(ascii: "."), !inFraction {
                inFraction = true
            } else if let d = digit(b) {
                sawDigit = true
                if inFraction { exponent -= 1 }
                if mantissa != 0 || d != 0 {
                    digits += 1
                    if digits <= 15 { mantissa = mantissa * 10 + d }
                }
            } else {
                break
            }
            i += 1
        }
        guard sawDigit else { return nil }
        if i < s.count, s[i] | 0x20 == UInt8(ascii: "e") {
            i += 1
            guard let e = exponentValue(UnsafeBufferPointer(rebasing: s[i...])) else { return nil }
            exponent += e
        } else if i < s.count {
            return nil
        }

        // Clinger's fast path: an exact mantissa times or over an exact power of ten is one
        // correctly rounded operation. That covers counters and microsecond-resolution seconds.
        if digits <= 15, (-22...22).contains(exponent) {
            var scale = 1.0
            for _ in 0..<abs(exponent) { scale *= 10 }
            let magnitude = exponent < 0 ? Double(mantissa) / scale : Double(mantissa) * scale
            return negative ? -magnitude : magnitude
        }
        // The syntax is known to be a plain decimal, which the standard library rounds correctly.
        guard let value = Double(String(decoding: s, as: UTF8.self)), value.isFinite else { return nil }
        return value
    }

    /// A timestamp: a decimal integer with an optional sign that fits an Int64.
    static func int64(_ s: UnsafeBufferPointer<UInt8>) -> Int64? {
        var i = 0
        let negative = sign(s, &i)
        guard i < s.count else { return nil }
        var value: Int64 = 0
        while i < s.count {
            guard let d = digit(s[i]) else { return nil }
            // Accumulate towards the sign so Int64.min still fits.
            let (shifted, o1) = value.multipliedReportingOverflow(by: 10)
            let (next, o2) = negative ? shifted.subtractingReportingOverflow(Int64(d))
                                      : shifted.addingReportingOverflow(Int64(d))
            guard !o1, !o2 else { return nil }
            value = next
            i += 1
        }
        return value
    }

    /// Consumes an optional `+` or `-` at `i`; true for `-`.
    private static func sign(_ s: UnsafeBufferPointer<UInt8>, _ i: inout Int) -> Bool {
        guard i < s.count, s[i] == UInt8(ascii: "+") || s[i] == UInt8(ascii: "-") else { return false }
        i += 1
        return s[i - 1] == UInt8(ascii: "-")
    }

    private static func digit(_ b: UInt8) -> UInt64? {
        b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") ? UInt64(b - UInt8(ascii: "0")) : nil
    }

    /// The digits after `e`, with an optional sign, clamped far beyond any Double's range
    /// so that adding them to the fraction's exponent cannot overflow.
    private static func exponentValue(_ s: UnsafeBufferPointer<UInt8>) -> Int? {
        int64(s).map { Int(max(-100_000, min(100_000, $0))) }
    }

    private static func special(_ word: UnsafeBufferPointer<UInt8>, signed: Bool, negative: Bool) -> Double? {
        if matches(word, "inf") || matches(word, "infinity") { return negative ? -.infinity : .infinity }
        if !signed, matches(word, "nan") { return .nan }
        return nil
    }

    /// Whether `word` spells the lowercase ASCII `expected`, in any letter case.
    static func matches(_ word: UnsafeBufferPointer<UInt8>, _ expected: StaticString) -> Bool {
        expected.withUTF8Buffer { e in
            e.count == word.count && zip(e, word).allSatisfy { $0 == ($1 >= 0x41 && $1 <= 0x5A ? $1 | 0x20 : $1) }
        }
    }
}
