/// How people expect ids and addresses to sort: runs of digits compare as numbers, so stream
/// 2 comes before 10 and `127.0.0.1:9` before `127.0.0.1:40001`; everything else compares as
/// text. Used wherever bptop orders rows or series.
enum NaturalOrder {
    static func less(_ a: String, _ b: String) -> Bool {
        compare(a, b) == .less
    }

    private enum Result { case less, equal, greater }

    private static func compare(_ a: String, _ b: String) -> Result {
        var i = a.utf8.makeIterator(), j = b.utf8.makeIterator()
        var x = i.next(), y = j.next()
        while let p = x, let q = y {
            if isDigit(p) && isDigit(q) {
                // Compare the two digit runs as numbers: skip leading zeros, then longer wins,
                // then the first differing digit.
                var run1: [UInt8] = [], run2: [UInt8] = []
                while let d = x, isDigit(d) { if !(run1.isEmpty && d == 0x30) { run1.append(d) }; x = i.next() }
                while let d = y, isDigit(d) { if !(run2.isEmpty && d == 0x30) { run2.append(d) }; y = j.next() }
                if run1.count != run2.count { return run1.count < run2.count ? .less : .greater }
                if run1 != run2 { return run1.lexicographicallyPrecedes(run2) ? .less : .greater }
                continue
            }
            if p != q { return p < q ? .less : .greater }
            x = i.next(); y = j.next()
        }
        switch (x, y) {
        case (nil, nil): return a == b ? .equal : (a < b ? .less : .greater)
        case (nil, _): return .less
        default: return .greater
        }
    }

    private static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
}
