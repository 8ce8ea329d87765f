/// The status line and header fields of a response head.
struct HTTPResponseHead {
    private let lines: [Substring]

    init(_ text: String) {
        lines = text.split(separator: "\r\n", omittingEmptySubsequences: false)
    }

    /// `HTTP/1.x CODE [reason]`, the code three digits.
    func status() throws(ScrapeError) -> (code: Int, reason: String) {
        let parts = (lines.first ?? "").split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/1."), parts[1].utf8.count == 3,
              let code = Int(parts[1]), code >= 100 else {
            throw ScrapeError("malformed HTTP status line")
        }
        return (code, parts.count > 2 ? String(parts[2]) : "")
    }

    /// The values of every field called `name` (lowercase), trimmed; lines without a colon are ignored.
    func values(of name: String) -> [String] {
        lines.dropFirst().compactMap { line in
            guard let colon = line.firstIndex(of: ":"), line[..<colon].lowercased() == name else { return nil }
            return line[line.index(after: colon)...].trimmingSpaces
        }
    }
}

extension Substring {
    /// Without leading and trailing blanks; by scalars, which is much faster than by characters.
    var trimmingSpaces: String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { $0 != " " && $0 != "\t" }),
              let last = scalars.lastIndex(where: { $0 != " " && $0 != "\t" }) else { return "" }
        return String(scalars[first...last])
    }
}
