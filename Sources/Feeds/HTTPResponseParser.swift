/// Reads one HTTP/1.x response as its bytes arrive: status line, headers, then a
/// Content-Length, chunked or close-delimited body.
///
/// These are bytes from the network, so nothing here may trap: every count is checked before
/// it is used, sizes are parsed with overflow checks, and a malformed response is one
/// `ScrapeError` naming what is wrong. Memory is bounded by `maxBodyBytes` plus one header of
/// at most `maxHeaderBytes`: a bigger body is refused as soon as it is known to be bigger.
struct HTTPResponseParser {
    static let maxHeaderBytes = 64 << 10

    let maxBodyBytes: Int
    /// Media types the body may be (`text/plain`); a response without a Content-Type passes.
    let mediaTypes: [String]
    /// Received and not yet consumed: the head, then the body (or the chunks not yet decoded).
    private var buffer: [UInt8] = []
    /// Where the search for the end of the head resumes, so a head that trickles in is
    /// scanned once, not once per arrival.
    private var headScan = 0
    private var framing: Framing?
    private var chunks = ChunkedBody()
    private var isComplete = false

    private enum Framing {
        case length(Int)
        case chunked
        case untilClose
    }

    /// What a metrics scrape accepts: the Prometheus text format and OpenMetrics (which a
    /// server may send whatever was asked for). A JSON API answer or an HTML page at the URL is
    /// not an empty exposition but the wrong URL, and is reported as such.
    static let expositionTypes = ["text/plain", "application/openmetrics-text"]

    init(maxBodyBytes: Int = ScrapeClient.maxBodyBytes, mediaTypes: [String] = HTTPResponseParser.expositionTypes) {
        self.maxBodyBytes = maxBodyBytes
        self.mediaTypes = mediaTypes
    }

    /// The body of a whole response, read to end-of-stream.
    static func body(of response: [UInt8]) throws(ScrapeError) -> [UInt8] {
        var parser = HTTPResponseParser()
        if let body = try parser.append(response) { return body }
        return try parser.finish()
    }

    /// Adds received bytes; the body once the response is complete (anything after it is
    /// ignored), nil while more is needed.
    mutating func append(_ bytes: some Collection<UInt8>) throws(ScrapeError) -> [UInt8]? {
        guard !isComplete else { return nil }
        if case .untilClose = framing { buffer.reserveBody(adding: bytes.count, limit: maxBodyBytes) }
        buffer.append(contentsOf: bytes)
        if framing == nil {
            guard try readHead() else { return nil }
        }
        switch framing! {
        case .length(let length):
            guard buffer.count >= length else { return nil }
            buffer.removeLast(buffer.count - length)
            return takeBuffer()
        case .chunked:
            guard try chunks.decode(&buffer, limit: maxBodyBytes) else { return nil }
            isComplete = true
            return chunks.take()
        case .untilClose:
            guard buffer.count <= maxBodyBytes else { throw Self.tooLarge(maxBodyBytes) }
            return nil
        }
    }

    /// The connection closed: the body if the response is complete, else why not.
    mutating func finish() throws(ScrapeError) -> [UInt8] {
        guard let framing else { throw ScrapeError("malformed HTTP response (no header end)") }
        switch framing {
        case .length(let length):
            throw ScrapeError("response cut short: \(buffer.count) of \(length) bytes")
        case .chunked:
            // A sender may close right after the last chunk, without the final empty line.
            guard chunks.sawLastChunk else { throw ScrapeError("response ended before the chunked body did") }
            return chunks.take()
        case .untilClose:
            return takeBuffer()
        }
    }

    static func tooLarge(_ limit: Int) -> ScrapeError {
        let size = limit % (1 << 20) == 0 ? "\(limit >> 20) MiB" : "\(limit) B"
        return ScrapeError("response body larger than the \(size) limit")
    }

    private mutating func takeBuffer() -> [UInt8] {
        isComplete = true
        defer { buffer = [] }
        return buffer
    }

    /// Reads the status line and headers once they are all in; false while they are not.
    /// Interim (1xx) responses are skipped; any final status but 200 is the error.
    private mutating func readHead() throws(ScrapeError) -> Bool {
        while true {
            guard let end = ByteSearch.find([13, 10, 13, 10], in: buffer, from: headScan) else {
                // An end at or before the limit would have been found by now.
                guard buffer.count < Self.maxHeaderBytes + 4 else { throw ScrapeError("HTTP header larger than 64 KiB") }
                headScan = max(buffer.count - 3, 0)
                return false
            }
            guard end <= Self.maxHeaderBytes else { throw ScrapeError("HTTP header larger than 64 KiB") }
            let head = HTTPResponseHead(String(decoding: buffer[..<end], as: UTF8.self))
            buffer.removeSubrange(..<(end + 4))
            headScan = 0
            let status = try head.status()
            if (100..<200).contains(status.code) { continue }
            guard status.code == 200 else {
                throw ScrapeError("HTTP \(status.code)\(status.reason.isEmpty ? "" : " \(status.reason)")")
            }
            framing = try framing(of: head)
            if case .length(let length) = framing { buffer.reserveCapacity(length) }
            return true
        }
    }

    private func framing(of head: HTTPResponseHead) throws(ScrapeError) -> Framing {
        if let type = head.values(of: "content-type").last {
            let media = type.split(separator: ";", maxSplits: 1).first.map { Substring($0).trimmingSpaces.lowercased() } ?? ""
            guard mediaTypes.contains(media) else {
                throw ScrapeError("not \(mediaTypes == Self.expositionTypes ? "a metrics exposition" : mediaTypes.joined(separator: " or ")) (Content-Type: \(type))")
            }
        }
        // bptop asks for no compression; a compressed body would be read as garbage.
        for coding in head.values(of: "content-encoding") where coding.lowercased() != "identity" {
            throw ScrapeError("unsupported Content-Encoding: \(coding)")
        }
        if let encoding = head.values(of: "transfer-encoding").last {
            guard encoding.lowercased() == "chunked" else { throw ScrapeError("unsupported Transfer-Encoding: \(encoding)") }
            return .chunked
        }
        let lengths = head.values(of: "content-length")
        guard let text = lengths.first else { return .untilClose }
        guard lengths.allSatisfy({ $0 == text }) else { throw ScrapeError("conflicting Content-Length headers") }
        guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
            throw ScrapeError("malformed Content-Length: \(text)")
        }
        // Digits only: a number too big for an Int is the only failure, and it is too big anyway.
        guard let length = Int(text), length <= maxBodyBytes else { throw Self.tooLarge(maxBodyBytes) }
        return .length(length)
    }
}
