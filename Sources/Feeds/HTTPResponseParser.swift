/// Extracts the body of an HTTP/1.x response read to end-of-stream: status line, headers,
/// then a Content-Length, chunked or close-delimited body.
enum HTTPResponseParser {
    static func body(of response: [UInt8]) throws(ScrapeError) -> [UInt8] {
        guard let headerEnd = find(response, [13, 10, 13, 10]) else { throw ScrapeError("malformed HTTP response (no header end)") }
        let head = String(decoding: response[0..<headerEnd], as: UTF8.self)
        let lines = head.split(separator: "\r\n", omittingEmptySubsequences: false)
        let status = lines[0].split(separator: " ", maxSplits: 2)
        guard status.count >= 2, status[0].hasPrefix("HTTP/1."), let code = Int(status[1]) else {
            throw ScrapeError("malformed HTTP status line")
        }
        guard code == 200 else { throw ScrapeError("HTTP \(code)\(status.count > 2 ? " \(status[2])" : "")") }
        var contentLength: Int?
        var chunked = false
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].lowercased()
            let value = line[line.index(after: colon)...].trimmingSpaces
            if name == "content-length" { contentLength = Int(value) }
            if name == "transfer-encoding" && value.lowercased().contains("chunked") { chunked = true }
        }
        let body = Array(response[(headerEnd + 4)...])
        if chunked { return try dechunk(body) }
        if let contentLength {
            guard body.count >= contentLength else { throw ScrapeError("response cut short: \(body.count) of \(contentLength) bytes") }
            return Array(body.prefix(contentLength))
        }
        return body
    }

    static func dechunk(_ data: [UInt8]) throws(ScrapeError) -> [UInt8] {
        var out: [UInt8] = []
        var i = 0
        while true {
            guard let lineEnd = find(data[i...], [13, 10]) else { throw ScrapeError("malformed chunked body") }
            let sizeText = String(decoding: data[i..<lineEnd], as: UTF8.self).split(separator: ";")[0]
            guard let size = Int(sizeText.trimmingSpaces, radix: 16), size >= 0 else { throw ScrapeError("malformed chunk size") }
            i = lineEnd + 2
            if size == 0 { return out }
            guard i + size <= data.count else { throw ScrapeError("chunked body cut short") }
            out.append(contentsOf: data[i..<(i + size)])
            i += size + 2
        }
    }

    private static func find<C: RandomAccessCollection<UInt8>>(_ data: C, _ needle: [UInt8]) -> Int? where C.Index == Int {
        guard data.count >= needle.count else { return nil }
        var i = data.startIndex
        while i <= data.endIndex - needle.count {
            if data[i] == needle[0] && data[i..<(i + needle.count)].elementsEqual(needle) { return i }
            i += 1
        }
        return nil
    }
}

extension Substring {
    var trimmingSpaces: String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
