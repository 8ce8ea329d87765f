/// Decodes a chunked HTTP body (RFC 9112 §7.1) as it arrives: `SIZE[;ext]\r\nDATA\r\n` …
/// `0\r\n`, trailer lines, `\r\n`. Sizes are hex, checked against the body limit before any
/// arithmetic, so no chunk size can overflow or make the decoder reach past its input. Chunk
/// data is moved out of the received bytes as it arrives, so they never hold more than what
/// one read brought, whatever the chunk sizes.
struct ChunkedBody {
    /// Longest chunk-size line (with extensions) accepted.
    static let maxSizeLine = 1024

    private var decoded: [UInt8] = []
    /// Bytes of the current chunk's data still to come.
    private var remaining = 0
    /// The current chunk's data is all in: its CRLF comes next.
    private var expectingCRLF = false
    /// The last (zero-size) chunk was read: the body is whole, trailers or not.
    private(set) var sawLastChunk = false

    /// Takes from the front of `buffer` everything that has arrived of the body; true once the
    /// last chunk and the end of the trailers have been read.
    mutating func decode(_ buffer: inout [UInt8], limit: Int) throws(ScrapeError) -> Bool {
        var start = 0
        defer { buffer.removeSubrange(..<start) }
        while !sawLastChunk {
            if remaining > 0 {
                let taken = min(remaining, buffer.count - start)
                decoded.reserveBody(adding: taken, limit: limit)
                decoded.append(contentsOf: buffer[start..<(start + taken)])
                start += taken
                remaining -= taken
                guard remaining == 0 else { return false }
                expectingCRLF = true
            }
            if expectingCRLF {
                guard buffer.count - start >= 2 else { return false }
                guard buffer[start] == 13, buffer[start + 1] == 10 else {
                    throw ScrapeError("malformed chunked body (no CRLF after a chunk)")
                }
                start += 2
                expectingCRLF = false
            }
            // The same limit whether the line's end has arrived or not, so the outcome never
            // depends on how the bytes were split.
            guard let lineEnd = ByteSearch.find([13, 10], in: buffer, from: start) else {
                guard buffer.count - start <= Self.maxSizeLine + 1 else { throw ScrapeError("malformed chunk size") }
                return false
            }
            guard lineEnd - start <= Self.maxSizeLine else { throw ScrapeError("malformed chunk size") }
            let size = try Self.size(buffer[start..<lineEnd])
            start = lineEnd + 2
            if size == 0 {
                sawLastChunk = true
            } else {
                guard size <= limit - decoded.count else { throw HTTPResponseParser.tooLarge(limit) }
                remaining = size
            }
        }
        // Trailer lines up to an empty one; they carry nothing bptop needs.
        let maxLine = HTTPResponseParser.maxHeaderBytes
        while let lineEnd = ByteSearch.find([13, 10], in: buffer, from: start) {
            guard lineEnd - start <= maxLine else { throw ScrapeError("HTTP trailer line longer than 64 KiB") }
            let empty = lineEnd == start
            start = lineEnd + 2
            if empty { return true }
        }
        guard buffer.count - start <= maxLine + 1 else { throw ScrapeError("HTTP trailer line longer than 64 KiB") }
        return false
    }

    /// The decoded body, handed over without a copy.
    mutating func take() -> [UInt8] {
        defer { decoded = [] }
        return decoded
    }

    /// A chunk-size line: hex digits (blanks around them tolerated), then optional `;extensions`.
    private static func size(_ line: ArraySlice<UInt8>) throws(ScrapeError) -> Int {
        let isBlank = { (b: UInt8) in b == UInt8(ascii: " ") || b == UInt8(ascii: "\t") }
        var digits = line.prefix { $0 != UInt8(ascii: ";") }.drop(while: isBlank)
        while let last = digits.last, isBlank(last) { digits.removeLast() }
        guard !digits.isEmpty else { throw ScrapeError("malformed chunk size") }
        var size = 0
        for b in digits {
            guard let d = hexValue(b), size <= Int.max >> 4 else { throw ScrapeError("malformed chunk size") }
            size = size << 4 | d
        }
        return size
    }

    private static func hexValue(_ b: UInt8) -> Int? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): Int(b - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): Int(b - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): Int(b - UInt8(ascii: "A") + 10)
        default: nil
        }
    }
}
