/// The one reader of `HOST:PORT` text, shared by the relay's addresses (`--listen`,
/// `--connect`), the agent's `--metrics tcp:…` and bptop's `--source http://…`. It only
/// splits and checks the shape; each caller decides defaults (a missing port, a missing host)
/// and words its errors for its own option.
public struct HostPort: Equatable, Sendable {
    /// The host as written, brackets removed (`::1`, `localhost`, `127.0.0.1`); may be empty.
    public let host: Substring
    /// The text after the port's colon; nil when there is no colon (`tcp:9464`, `http://host`).
    public let port: Substring?
    /// The host was written in brackets (`[::1]:80`).
    public let bracketed: Bool

    public enum Malformed: Error, Equatable, Sendable {
        /// `[::1` with no `]`.
        case unterminatedBracket
        /// `]` followed by something other than `:PORT` (`[::1]80`).
        case textAfterBracket
    }

    /// Splits `[V6]:PORT`, `[V6]`, `HOST:PORT` (at the last colon) or `HOST`.
    public init(splitting text: Substring) throws(Malformed) {
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { throw .unterminatedBracket }
            let after = text[text.index(after: close)...]
            guard after.isEmpty || after.hasPrefix(":") else { throw .textAfterBracket }
            host = text[text.index(after: text.startIndex)..<close]
            port = after.isEmpty ? nil : after.dropFirst()
            bracketed = true
        } else if let colon = text.lastIndex(of: ":") {
            host = text[..<colon]
            port = text[text.index(after: colon)...]
            bracketed = false
        } else {
            host = text
            port = nil
            bracketed = false
        }
    }

    /// An IPv6 address written without brackets (`::1:9100`): where it ends is a guess.
    public var isUnbracketedIPv6: Bool { !bracketed && host.contains(":") }

    /// A port number of one to five decimal digits, at most 65535 (no sign, no service name).
    public static func number(_ text: Substring) -> UInt16? {
        guard (1...5).contains(text.count), text.allSatisfy({ ("0"..."9").contains($0) }) else { return nil }
        return UInt16(exactly: Int(text)!)
    }
}
