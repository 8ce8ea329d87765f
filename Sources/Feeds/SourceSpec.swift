#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Telemetry

/// Where bptop scrapes from: `unix:/path/bpagent.sock`, a bare socket path,
/// `http://HOST:PORT/PATH` (any Prometheus exporter), `prometheus+http://HOST:PORT[?job=…]`
/// (a Prometheus server, read through its federation endpoint: every agent it scrapes), or a
/// network helper's own stats: `gvproxy+unix:PATH`, `cloud-hypervisor+unix:PATH`,
/// `vmnet-helper:LOGFILE|-`, `firecracker:FIFO`.
public struct SourceSpec: Equatable, Sendable, CustomStringConvertible {
    public enum Transport: Equatable, Sendable {
        case unix(path: String)
        case tcp(host: String, port: UInt16)
        /// Lines a helper writes: a file, a FIFO, or `-` (standard input).
        case lines(path: String)
    }

    public let transport: Transport
    /// A helper's stats, turned into Prometheus text; nil for an exporter.
    public let helper: HelperReader?
    /// The HTTP path requested, `/metrics` unless the URL names one.
    public let path: String
    /// What the user typed, for messages.
    public let text: String
    /// A Prometheus server: its series name their agent in `instance`, and carry the time
    /// Prometheus scraped them.
    public let federates: Bool
    /// For a Prometheus server: the path before its API (`""`, or `/prom` behind a proxy) and the
    /// series selector federated.
    let serverPrefix: String
    let selector: String

    public var description: String { text }

    public static func == (a: SourceSpec, b: SourceSpec) -> Bool { a.text == b.text }

    public init(parsing text: String) throws(SourceError) {
        try self.init(parsing: text, as: text)
    }

    /// Parses `text`, naming `shown` in errors (the whole `prometheus+http://…` the user typed).
    private init(parsing text: String, as shown: String) throws(SourceError) {
        self.text = shown
        federates = text.hasPrefix(Self.prometheusScheme)
        if federates {
            helper = nil
            let url = text.dropFirst("prometheus+".count)
            let mark = url.firstIndex(of: "?")
            let base = String(url[..<(mark ?? url.endIndex)])
            let server = try SourceSpec(parsing: base, as: shown)
            transport = server.transport
            // A server behind a path (http://host/prometheus) keeps it; `/metrics` is only the default.
            let prefix = base.dropFirst("http://".count).contains("/") ? server.path : ""
            serverPrefix = prefix.hasSuffix("/") ? String(prefix.dropLast()) : prefix
            selector = try Self.selector(mark.map { String(url[url.index(after: $0)...]) } ?? "", shown: shown)
            path = serverPrefix + "/federate?match[]=" + Self.percentEncoded(selector)
            return
        }
        serverPrefix = ""
        selector = ""
        if let kind = HelperReader.Kind.allCases.first(where: { text.hasPrefix($0.rawValue + ":") || text.hasPrefix($0.rawValue + "+unix:") }) {
            let socket = text.hasPrefix(kind.rawValue + "+unix:")
            let location = String(text.dropFirst(kind.rawValue.count + (socket ? 6 : 1)))
            guard !location.isEmpty else { throw SourceError(text: shown, reason: "missing path") }
            switch kind {
            case .gvproxy, .cloudHypervisor:
                guard socket else { throw SourceError(text: shown, reason: "expected \(kind.rawValue)+unix:SOCKET") }
                helper = HelperReader(kind: kind, path: nil)
                transport = .unix(path: location)
                path = helper!.requestPath
            case .vmnetHelper, .firecracker:
                guard !socket else { throw SourceError(text: shown, reason: "expected \(kind.rawValue):\(kind == .firecracker ? "FIFO" : "LOGFILE|-")") }
                // Keys would be taken for log lines.
                if location == "-", isatty(0) == 1 {
                    throw SourceError(text: shown, reason: "standard input is a terminal; pipe the helper's output in (… 2>&1 | bptop --source \(shown))")
                }
                helper = HelperReader(kind: kind, path: location)
                transport = .lines(path: location)
                path = ""
            }
            return
        }
        helper = nil
        if text.hasPrefix("unix:") || text.hasPrefix("/") || text.hasPrefix("./") {
            let path = text.hasPrefix("unix:") ? String(text.dropFirst(5)) : text
            guard !path.isEmpty else { throw SourceError(text: shown, reason: "missing socket path") }
            transport = .unix(path: path)
            self.path = "/metrics"
            return
        }
        guard text.hasPrefix("http://") else {
            if text.hasPrefix("https://") {
                throw SourceError(text: shown, reason: "https is not supported; scrape over http:// or a unix socket")
            }
            throw SourceError(text: shown, reason: "expected unix:PATH or http://HOST:PORT/PATH")
        }
        let rest = text.dropFirst("http://".count)
        let slash = rest.firstIndex(of: "/") ?? rest.endIndex
        let authority = rest[..<slash]
        path = slash == rest.endIndex ? "/metrics" : String(rest[slash...])
        let split: HostPort
        do { split = try HostPort(splitting: authority) } catch {
            throw SourceError(text: shown, reason: error == .unterminatedBracket ? "unterminated [IPv6] address" : "expected [IPv6]:PORT")
        }
        let host = split.host
        guard !host.isEmpty else { throw SourceError(text: shown, reason: "missing host") }
        var port: UInt16 = 80
        if let portText = split.port {
            guard let p = HostPort.number(portText), p > 0 else { throw SourceError(text: shown, reason: "port must be 1 to 65535") }
            port = p
        }
        transport = .tcp(host: String(host), port: port)
    }

    /// A short name for headers and stream prefixes: the socket's file name or host:port.
    public var shortName: String {
        if federates, case .tcp(let host, let port) = transport { return "prometheus \(host):\(port)" }
        switch transport {
        case .unix(let path): return String(path.split(separator: "/").last ?? Substring(path))
        case .tcp(let host, let port): return "\(host):\(port)"
        case .lines(let path): return path == "-" ? helper!.kind.rawValue : String(path.split(separator: "/").last ?? Substring(path))
        }
    }

    /// One scrape: the exporter's body, or the helper's stats as Prometheus text.
    public func fetch(timeoutMillis: Int32) throws(ScrapeError) -> [UInt8] {
        if let helper { return try helper.fetch(self, timeoutMillis: timeoutMillis) }
        return try ScrapeClient.fetch(self, timeoutMillis: timeoutMillis)
    }
}

extension SourceSpec {
    static let prometheusScheme = "prometheus+http://"

    /// The series selector a Prometheus source federates: bpagent's series, narrowed by the
    /// URL's `label=value` pairs (`?job=bpagent&env=lab`), or `match=SELECTOR` given whole
    /// (`?match={job="node"}` for another exporter's series).
    static func selector(_ query: String, shown: String) throws(SourceError) -> String {
        var matchers = ["__name__=~\"bpagent_.+\""]
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = String(parts[0]), value = parts.count > 1 ? String(parts[1]) : ""
            if name == "match" {
                guard value.hasPrefix("{") || value.first?.isLetter == true else {
                    throw SourceError(text: shown, reason: "match= needs a series selector, e.g. match={job=\"node\"}")
                }
                return value
            }
            guard Self.isLabelName(name) else {
                throw SourceError(text: shown, reason: "\"\(name)\" is not a label name (expected label=value pairs after ?)")
            }
            var escaped = ""
            for c in value {
                if c == "\\" || c == "\"" { escaped.append("\\") }
                escaped.append(c)
            }
            matchers.append("\(name)=\"\(escaped)\"")
        }
        return "{" + matchers.joined(separator: ",") + "}"
    }

    /// `[a-zA-Z_][a-zA-Z0-9_]*`, as Prometheus' label names are.
    static func isLabelName(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        func letter(_ b: UInt8) -> Bool { (b | 0x20) >= UInt8(ascii: "a") && (b | 0x20) <= UInt8(ascii: "z") || b == UInt8(ascii: "_") }
        guard let first = bytes.first, letter(first) else { return false }
        return bytes.allSatisfy { letter($0) || ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) }
    }

    /// Every byte but the unreserved ones as `%XX`, for a URL's query.
    static func percentEncoded(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                out += "%" + String(byte >> 4, radix: 16, uppercase: true) + String(byte & 15, radix: 16, uppercase: true)
            }
        }
        return out
    }
}

public struct SourceError: Error, CustomStringConvertible, Sendable {
    public let text: String
    public let reason: String
    public var description: String { "invalid --source \"\(text)\": \(reason)" }
}
