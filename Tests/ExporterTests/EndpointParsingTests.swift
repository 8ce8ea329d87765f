import Exporter
import Testing

@Suite struct EndpointParsingTests {
    @Test(arguments: [
        ("unix:/run/bpagent/metrics.sock", MetricsEndpoint.unix(path: "/run/bpagent/metrics.sock")),
        ("unix:metrics.sock", .unix(path: "metrics.sock")),
        ("tcp:9100", .tcp(host: "127.0.0.1", port: 9100)),
        ("tcp:0", .tcp(host: "127.0.0.1", port: 0)),
        ("tcp:0.0.0.0:9100", .tcp(host: "0.0.0.0", port: 9100)),
        ("tcp:localhost:65535", .tcp(host: "localhost", port: 65535)),
        ("tcp:[::1]:9100", .tcp(host: "::1", port: 9100)),
        ("tcp:[fe80::1%eth0]:80", .tcp(host: "fe80::1%eth0", port: 80)),
    ])
    func valid(text: String, expected: MetricsEndpoint) throws {
        #expect(try MetricsEndpoint.parse(text) == expected)
    }

    @Test(arguments: [
        (MetricsEndpoint.unix(path: "/tmp/m.sock"), "unix:/tmp/m.sock"),
        (.tcp(host: "127.0.0.1", port: 9100), "tcp:127.0.0.1:9100"),
        (.tcp(host: "::1", port: 9100), "tcp:[::1]:9100"),
    ])
    func descriptionRoundTrips(endpoint: MetricsEndpoint, text: String) throws {
        #expect(endpoint.description == text)
        #expect(try MetricsEndpoint.parse(text) == endpoint)
    }

    @Test(arguments: [
        ("foo", "expected unix:PATH or tcp:HOST:PORT"),
        ("", "expected unix:PATH or tcp:HOST:PORT"),
        ("http://127.0.0.1:9100", "expected unix:PATH or tcp:HOST:PORT"),
        ("unix:", "empty socket path after unix:"),
        ("tcp:", "port \"\" is not a number from 0 to 65535"),
        ("tcp:65536", "port \"65536\" is not a number from 0 to 65535"),
        ("tcp:+80", "port \"+80\" is not a number from 0 to 65535"),
        ("tcp:host:", "port \"\" is not a number from 0 to 65535"),
        ("tcp:host:http", "port \"http\" is not a number from 0 to 65535"),
        ("tcp::9100", "empty host before :PORT"),
        ("tcp:::1:9100", "an IPv6 address needs brackets, as in tcp:[::1]:PORT"),
        ("tcp:[::1]9100", "expected tcp:[IPv6]:PORT"),
        ("tcp:[::1", "expected tcp:[IPv6]:PORT"),
        ("tcp:[]:80", "expected tcp:[IPv6]:PORT"),
    ])
    func invalid(text: String, reason: String) {
        let error = #expect(throws: InvalidMetricsEndpoint.self) { try MetricsEndpoint.parse(text) }
        #expect(error?.reason == reason)
        #expect(error?.description == "invalid --metrics \"\(text)\": \(reason)")
    }
}
