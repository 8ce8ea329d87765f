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
        // A Prometheus server: its federation endpoint, bpagent's series, narrowed by labels.
        ("prometheus+http://127.0.0.1:9090", .tcp(host: "127.0.0.1", port: 9090),
         "/federate?match[]=%7B__name__%3D~%22bpagent_.%2B%22%7D", "prometheus 127.0.0.1:9090"),
        ("prometheus+http://prom:9090/prom/?job=bpagent&env=a%22b", .tcp(host: "prom", port: 9090),
         "/prom/federate?match[]=%7B__name__%3D~%22bpagent_.%2B%22%2Cjob%3D%22bpagent%22%2Cenv%3D%22a%2522b%22%7D", "prometheus prom:9090"),
        ("prometheus+http://[::1]:9090?match={job=\"node\"}", .tcp(host: "::1", port: 9090),
         "/federate?match[]=%7Bjob%3D%22node%22%7D", "prometheus ::1:9090"),
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
        ("prometheus+http://:9090", "invalid --source \"prometheus+http://:9090\": missing host"),
        ("prometheus+http://p:9090?1x=a", "invalid --source \"prometheus+http://p:9090?1x=a\": \"1x\" is not a label name (expected label=value pairs after ?)"),
        ("prometheus+http://p:9090?match=", "invalid --source \"prometheus+http://p:9090?match=\": match= needs a series selector, e.g. match={job=\"node\"}"),
    ])
    func invalid(text: String, message: String) {
        #expect { try SourceSpec(parsing: text) } throws: { "\($0)" == message }
    }
}

/// A Prometheus range-vector answer turned into expositions with the samples' own timestamps.
@Suite struct PrometheusHistoryTests {
    static let answer = #"""
        {"status":"success","data":{"resultType":"matrix","result":[
         {"metric":{"__name__":"bpagent_bytes_total","instance":"h:9464","job":"bpagent","stream":"1","dir":"c2s"},
          "values":[[1700000000,"10"],[1700000002.5,"30"],[1700000005,"50"]]},
         {"metric":{"__name__":"bpagent_streams_open","instance":"h:9464","note":"a\"b"},"values":[[1700000001,"2"],[1700000003,"3"]]},
         {"metric":{"job":"no name"},"values":[[1700000003,"7"]]}]}}
        """#

    /// Each slot holds every series' newest sample at or before its time, with that sample's
    /// timestamp; a slot before any sample is left out.
    @Test func windowSlotsTakeTheNewestSampleAtOrBefore() throws {
        let series = try PrometheusHistory.series(ofMatrix: Array(Self.answer.utf8))
        let slots = PrometheusHistory.slots(series, times: [1_699_999_999, 1_700_000_002, 1_700_000_004])
        #expect(slots.map(\.time) == [1_700_000_002, 1_700_000_004])
        #expect(slots.map { String(decoding: $0.body, as: UTF8.self) } == [
            """
            bpagent_bytes_total{dir="c2s",instance="h:9464",job="bpagent",stream="1"} 10 1700000000000
            bpagent_streams_open{instance="h:9464",note="a\\"b"} 2 1700000001000

            """,
            """
            bpagent_bytes_total{dir="c2s",instance="h:9464",job="bpagent",stream="1"} 30 1700000002500
            bpagent_streams_open{instance="h:9464",note="a\\"b"} 3 1700000003000

            """,
        ])
    }

    @Test func anErrorAnswerIsOneLine() {
        #expect(throws: ScrapeError("Prometheus: parse error: unexpected end of input")) {
            try PrometheusHistory.series(ofMatrix: Array(#"{"status":"error","errorType":"bad_data","error":"parse error: unexpected end of input"}"#.utf8))
        }
    }
}
