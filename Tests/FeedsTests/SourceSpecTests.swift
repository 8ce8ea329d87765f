import Testing
@testable import Feeds

@Suite struct SourceSpecTests {
    @Test(arguments: [
        ("unix:/run/bpagent.sock", SourceSpec.Transport.unix(path: "/run/bpagent.sock"), "/metrics", "bpagent.sock"),
        ("/tmp/a.sock", .unix(path: "/tmp/a.sock"), "/metrics", "a.sock"),
        ("http://127.0.0.1:9464/metrics", .tcp(host: "127.0.0.1", port: 9464), "/metrics", "127.0.0.1:9464"),
        ("http://localhost:9100", .tcp(host: "localhost", port: 9100), "/metrics", "localhost:9100"),
        ("http://[::1]:9464/x?y=1", .tcp(host: "::1", port: 9464), "/x?y=1", "::1:9464"),
        ("http://example", .tcp(host: "example", port: 80), "/metrics", "example:80"),
    ])
    func valid(text: String, transport: SourceSpec.Transport, path: String, name: String) throws {
        let s = try SourceSpec(parsing: text)
        #expect(s.transport == transport)
        #expect(s.path == path)
        #expect(s.shortName == name)
    }

    @Test(arguments: [
        ("unix:", "invalid --source \"unix:\": missing socket path"),
        ("https://x:1/", "invalid --source \"https://x:1/\": https is not supported; scrape over http:// or a unix socket"),
        ("ftp://x", "invalid --source \"ftp://x\": expected unix:PATH or http://HOST:PORT/PATH"),
        ("http://:80/", "invalid --source \"http://:80/\": missing host"),
        ("http://h:0/", "invalid --source \"http://h:0/\": port must be 1 to 65535"),
        ("http://[::1:80/", "invalid --source \"http://[::1:80/\": unterminated [IPv6] address"),
    ])
    func invalid(text: String, message: String) {
        #expect { try SourceSpec(parsing: text) } throws: { "\($0)" == message }
    }
}
