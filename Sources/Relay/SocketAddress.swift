#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Telemetry

/// An IPv4 or IPv6 socket address, parsed from `HOST:PORT` or `[V6]:PORT`.
public struct SocketAddress: CustomStringConvertible, Sendable {
    var storage = sockaddr_storage()
    var length: socklen_t = 0

    public var family: Int32 { Int32(storage.ss_family) }

    /// Parses `host:port`; the host may be a name that resolves locally (e.g. `localhost`).
    public init(parsing text: String) throws(AddressError) {
        let split: HostPort
        do { split = try HostPort(splitting: Substring(text)) } catch {
            throw AddressError(text: text, reason: "expected [IPv6]:PORT")
        }
        guard let portText = split.port else {
            throw AddressError(text: text, reason: split.bracketed ? "expected [IPv6]:PORT" : "expected HOST:PORT")
        }
        guard let port = HostPort.number(portText) else {
            throw AddressError(text: text, reason: "port must be a number from 0 to 65535")
        }
        let host = String(split.host)
        guard !host.isEmpty else { throw AddressError(text: text, reason: "missing host") }
        var hints = addrinfo()
        hints.ai_flags = AI_NUMERICSERV
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var result: UnsafeMutablePointer<addrinfo>?
        let rc = getaddrinfo(host, String(port), &hints, &result)
        guard rc == 0, let first = result else {
            throw AddressError(text: text, reason: "cannot resolve host \"\(host)\"")
        }
        defer { freeaddrinfo(result) }
        withUnsafeMutableBytes(of: &storage) { dst in
            dst.copyMemory(from: UnsafeRawBufferPointer(start: first.pointee.ai_addr, count: Int(first.pointee.ai_addrlen)))
        }
        length = first.pointee.ai_addrlen
    }

    /// The address a socket is bound to (`local: true`) or connected to.
    init(of fd: Int32, local: Bool) throws(SystemError) {
        var len = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let rc = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                local ? getsockname(fd, $0, &len) : getpeername(fd, $0, &len)
            }
        }
        guard rc == 0 else { throw SystemError(local ? "getsockname" : "getpeername") }
        length = len
    }

    func withSockaddr<R>(_ body: (UnsafePointer<sockaddr>, socklen_t) -> R) -> R {
        withUnsafePointer(to: storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, length) }
        }
    }

    /// `127.0.0.1:5202` or `[::1]:5202`.
    public var description: String {
        guard let (h, s) = numericHostAndPort() else { return "?" }
        return family == AF_INET6 ? "[\(h)]:\(s)" : "\(h):\(s)"
    }

    /// The address as a listening endpoint of `proto`, for `bpagent_listen_info`.
    public func listenInfo(proto: String) -> ListenInfo {
        let (host, port) = numericHostAndPort() ?? ("", "")
        return ListenInfo(proto: proto, address: description, host: host, port: port)
    }

    private func numericHostAndPort() -> (host: String, port: String)? {
        var host = [CChar](repeating: 0, count: Int(NI_MAXHOST))
        var serv = [CChar](repeating: 0, count: Int(NI_MAXSERV))
        let rc = withSockaddr { sa, len in
            getnameinfo(sa, len, &host, socklen_t(host.count), &serv, socklen_t(serv.count), NI_NUMERICHOST | NI_NUMERICSERV)
        }
        guard rc == 0 else { return nil }
        func text(_ c: [CChar]) -> String { String(decoding: c.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) }
        return (text(host), text(serv))
    }
}

public struct AddressError: Error, CustomStringConvertible, Sendable {
    public let text: String
    public let reason: String
    public var description: String { "invalid address \"\(text)\": \(reason)" }
}
