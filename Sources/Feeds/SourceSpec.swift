#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Telemetry

/// Where bptop scrapes from: `unix:/path/bpagent.sock`, a bare socket path, or
/// `http://HOST:PORT/PATH` (any Prometheus exporter); or a network helper's own stats:
/// `gvproxy+unix:PATH`, `cloud-hypervisor+unix:PATH`, `vmnet-helper:LOGFILE|-`, `firecracker:FIFO`.
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

    public var description: String { text }

    public static func == (a: SourceSpec, b: SourceSpec) -> Bool { a.text == b.text }

    public init(parsing text: String) throws(SourceError) {
        self.text = text
        if let kind = HelperReader.Kind.allCases.first(where: { text.hasPrefix($0.rawValue + ":") || text.hasPrefix($0.rawValue + "+unix:") }) {
            let socket = text.hasPrefix(kind.rawValue + "+unix:")
            let location = String(text.dropFirst(kind.rawValue.count + (socket ? 6 : 1)))
            guard !location.isEmpty else { throw SourceError(text: text, reason: "missing path") }
            switch kind {
            case .gvproxy, .cloudHypervisor:
                guard socket else { throw SourceError(text: text, reason: "expected \(kind.rawValue)+unix:SOCKET") }
                helper = HelperReader(kind: kind, path: nil)
                transport = .unix(path: location)
                path = helper!.requestPath
            case .vmnetHelper, .firecracker:
                guard !socket else { throw SourceError(text: text, reason: "expected \(kind.rawValue):\(kind == .firecracker ? "FIFO" : "LOGFILE|-")") }
                // Keys would be taken for log lines.
                if location == "-", isatty(0) == 1 {
                    throw SourceError(text: text, reason: "standard input is a terminal; pipe the helper's output in (… 2>&1 | bptop --source \(text))")
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
            guard !path.isEmpty else { throw SourceError(text: text, reason: "missing socket path") }
            transport = .unix(path: path)
            self.path = "/metrics"
            return
        }
        guard text.hasPrefix("http://") else {
            if text.hasPrefix("https://") {
                throw SourceError(text: text, reason: "https is not supported; scrape over http:// or a unix socket")
            }
            throw SourceError(text: text, reason: "expected unix:PATH or http://HOST:PORT/PATH")
        }
        let rest = text.dropFirst("http://".count)
        let slash = rest.firstIndex(of: "/") ?? rest.endIndex
        let authority = rest[..<slash]
        path = slash == rest.endIndex ? "/metrics" : String(rest[slash...])
        let split: HostPort
        do { split = try HostPort(splitting: authority) } catch {
            throw SourceError(text: text, reason: error == .unterminatedBracket ? "unterminated [IPv6] address" : "expected [IPv6]:PORT")
        }
        let host = split.host
        guard !host.isEmpty else { throw SourceError(text: text, reason: "missing host") }
        var port: UInt16 = 80
        if let portText = split.port {
            guard let p = HostPort.number(portText), p > 0 else { throw SourceError(text: text, reason: "port must be 1 to 65535") }
            port = p
        }
        transport = .tcp(host: String(host), port: port)
    }

    /// A short name for headers and stream prefixes: the socket's file name or host:port.
    public var shortName: String {
        switch transport {
        case .unix(let path): String(path.split(separator: "/").last ?? Substring(path))
        case .tcp(let host, let port): "\(host):\(port)"
        case .lines(let path): path == "-" ? helper!.kind.rawValue : String(path.split(separator: "/").last ?? Substring(path))
        }
    }

    /// One scrape: the exporter's body, or the helper's stats as Prometheus text.
    public func fetch(timeoutMillis: Int32) throws(ScrapeError) -> [UInt8] {
        if let helper { return try helper.fetch(self, timeoutMillis: timeoutMillis) }
        return try ScrapeClient.fetch(self, timeoutMillis: timeoutMillis)
    }
}

public struct SourceError: Error, CustomStringConvertible, Sendable {
    public let text: String
    public let reason: String
    public var description: String { "invalid --source \"\(text)\": \(reason)" }
}
