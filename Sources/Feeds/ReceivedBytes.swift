/// Byte-string search in received data.
enum ByteSearch {
    /// The index of the first `needle` in `data` at or after `start`.
    static func find(_ needle: [UInt8], in data: [UInt8], from start: Int) -> Int? {
        guard start >= 0, data.count - start >= needle.count else { return nil }
        var i = start
        while i <= data.count - needle.count {
            if data[i] == needle[0] && data[i..<(i + needle.count)].elementsEqual(needle) { return i }
            i += 1
        }
        return nil
    }
}

extension [UInt8] {
    /// Makes room for `adding` more bytes of a body: by doubling while it is small, and past
    /// 1 MiB at once for the largest body allowed (and a read beyond it), so a big body is
    /// neither copied to grow nor held twice near the limit. Pages are taken only as written.
    mutating func reserveBody(adding: Int, limit: Int) {
        let needed = count + adding
        if needed > capacity, needed > 1 << 20 { reserveCapacity(Swift.max(limit + 65536, needed)) }
    }
}
