/// How people expect ids and addresses to sort: runs of digits compare as numbers, so stream
/// 2 comes before 10 and `127.0.0.1:9` before `127.0.0.1:40001`; everything else compares as
/// text. Used wherever bptop orders rows or series.
enum NaturalOrder {
    static func less(_ a: String, _ b: String) -> Bool {
        compare(a, b) == .less
    }

    private enum Result { case less, equal, greater }

    private static func compare(_ a: String, _ b: String) -> Result {
        var (a, b) = (a, b)
        let order = a.withUTF8 { x in b.withUTF8 { y in compare(x, y) } }
        // Equal under the natural order ("007" and "7"): fall back to the text, so the order is total.
        guard order == .equal, a != b else { return order }
        return a < b ? .less : .greater
    }

    /// Scans both in place (sorting thousands of series per frame, a buffer per digit run was
    /// most of bptop's sorting time).
    private static func compare(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Result {
        var i = 0, j = 0
        while i < a.count, j < b.count {
            let p = a[i], q = b[j]
            if isDigit(p) && isDigit(q) {
                // Compare the two digit runs as numbers: skip leading zeros, then longer wins,
                // then the first differing digit.
                let end1 = runEnd(a, from: i), end2 = runEnd(b, from: j)
                let start1 = zerosEnd(a, from: i, to: end1), start2 = zerosEnd(b, from: j, to: end2)
                let length1 = end1 - start1, length2 = end2 - start2
                if length1 != length2 { return length1 < length2 ? .less : .greater }
                for k in 0..<length1 where a[start1 + k] != b[start2 + k] {
                    return a[start1 + k] < b[start2 + k] ? .less : .greater
                }
                (i, j) = (end1, end2)
                continue
            }
            if p != q { return p < q ? .less : .greater }
            i += 1
            j += 1
        }
        switch (i < a.count, j < b.count) {
        case (false, false): return .equal
        case (false, true): return .less
        default: return .greater
        }
    }

    private static func runEnd(_ s: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        var end = start
        while end < s.count, isDigit(s[end]) { end += 1 }
        return end
    }

    private static func zerosEnd(_ s: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> Int {
        var i = start
        while i < end, s[i] == 0x30 { i += 1 }
        return i
    }

    private static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
}
