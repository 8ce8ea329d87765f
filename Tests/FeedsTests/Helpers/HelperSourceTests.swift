#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing
import Telemetry
@testable import Feeds

/// The helpers' stats as bptop sources, each served the way the helper serves it: gvproxy's Go
/// HTTP server (chunked) and cloud-hypervisor's (Content-Length) on a unix socket, vmnet-helper's
/// growing log, Firecracker's FIFO written once per flush. Fixtures: ../Fixtures/helpers, each
/// citing the source file and commit it was built from.
@Suite struct HelperSourceTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/helpers")

    /// The fixture without its `# ` header.
    static func fixture(_ name: String) throws -> [String] {
        try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
            .split(separator: "\n").filter { !$0.hasPrefix("# ") }.map { $0 + "\n" }
    }

    /// name{labels} → value, from bptop's own parser.
    static func values(_ body: [UInt8]) -> [String: Double] {
        let parsed = PrometheusTextParser.parse(body)
        #expect(parsed.skippedLines == 0)
        var out: [String: Double] = [:]
        for s in parsed.samples {
            let labels = s.labels.map { "\($0.name)=\($0.value)" }.joined(separator: ",")
            out[labels.isEmpty ? s.name : "\(s.name){\(labels)}"] = s.value
        }
        return out
    }

    @Test func gvproxyStatsOverChunkedHTTP() throws {
        let body = Array(try Self.fixture("gvproxy-stats.txt").joined().utf8)
        // net/http chunks a body the handler wrote without a length; two chunks here.
        let cut = 4096
        var response = Array("HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nDate: Wed, 02 Dec 2026 16:00:00 GMT\r\nTransfer-Encoding: chunked\r\n\r\n".utf8)
        for part in [body[..<cut], body[cut...]] {
            response += Array(String(part.count, radix: 16).utf8) + [13, 10] + part + [13, 10]
        }
        response += Array("0\r\n\r\n".utf8)
        let server = try CannedServer(response: response)
        let source = try SourceSpec(parsing: "gvproxy+unix:\(server.path)")
        #expect(source.path == "/stats")
        let v = Self.values(try source.fetch(timeoutMillis: 5000))
        #expect(v["gvproxy_nics_tx_packets_dropped_no_buffer_space_total"] == 17)
        #expect(v["gvproxy_ip_forwarding_outgoing_device_no_buffer_space_total"] == 23)
        #expect(v["gvproxy_tcp_retransmits_total"] == 311)
        #expect(v["gvproxy_tcp_segment_send_errors_total"] == 5)
        #expect(v["gvproxy_udp_receive_buffer_errors_total"] == 9)
        #expect(v["gvproxy_bytes_sent_total"] == 987_654_321)
        #expect(v["gvproxy_bytes_received_total"] == 123_456_789)
        #expect(v["gvproxy_nics_tx_bytes_total"] == 4007)
        // Every counter of the fixture, none dropped or invented.
        #expect(v.count == 172)
    }

    @Test func snakeCaseOfGoFieldNames() {
        #expect(ExpositionText.snakeCase("TxPacketsDroppedNoBufferSpace") == "tx_packets_dropped_no_buffer_space")
        #expect(ExpositionText.snakeCase("NICs") == "nics")
        #expect(ExpositionText.snakeCase("ICMPv4PacketStats") == "icmpv4_packet_stats")
        #expect(ExpositionText.snakeCase("IPTablesPreroutingDropped") == "ip_tables_prerouting_dropped")
        #expect(ExpositionText.snakeCase("V4") == "v4")
        #expect(ExpositionText.snakeCase("rx_bytes") == "rx_bytes")
    }

    @Test func cloudHypervisorCountersOverHTTP() throws {
        let body = try Self.fixture("cloud-hypervisor-counters.txt").joined()
        let response = "HTTP/1.1 200 \r\nServer: Cloud Hypervisor API\r\nConnection: keep-alive\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)"
        let server = try CannedServer(response: Array(response.utf8))
        let source = try SourceSpec(parsing: "cloud-hypervisor+unix:\(server.path)")
        #expect(source.path == "/api/v1/vm.counters")
        let v = Self.values(try source.fetch(timeoutMillis: 5000))
        #expect(v["cloud_hypervisor_rx_bytes_total{device=_net0}"] == 1_048_576)
        #expect(v["cloud_hypervisor_tx_frames_total{device=_net0}"] == 2048)
        #expect(v["cloud_hypervisor_write_bytes_total{device=_disk0}"] == 8192)
        #expect(v["cloud_hypervisor_write_latency_max_seconds{device=_disk0}"] == 0.0009)
        // No reads yet: the read latencies still hold block.rs's initial u64::MAX, so none is shown.
        #expect(v["cloud_hypervisor_read_latency_max_seconds{device=_disk0}"] == nil)
        #expect(v.count == 11)
    }

    @Test func vmnetHelperLogReadAsItGrows() throws {
        let path = try CannedServer.temporaryPath().replacingOccurrences(of: "s.sock", with: "helper.log")
        let lines = try Self.fixture("vmnet-helper-stats.log")
        let source = try SourceSpec(parsing: "vmnet-helper:\(path)")
        #expect(throws: ScrapeError.self) { try source.fetch(timeoutMillis: 1000) }
        // The first stats line, and half of the second (no newline yet).
        let second = Array(lines[3].utf8)
        try Data((lines[0..<3].joined().utf8) + second[..<40]).write(to: URL(fileURLWithPath: path))
        var v = Self.values(try source.fetch(timeoutMillis: 1000))
        #expect(v["vmnet_helper_packets_total{from=host}"] == 1000)
        #expect(v["vmnet_helper_drops_total{from=vm}"] == 1)
        #expect(v["vmnet_helper_slow_path_calls_total{from=vm}"] == 2)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        handle.seekToEndOfFile()
        handle.write(Data(second[40...]))
        try handle.close()
        v = Self.values(try source.fetch(timeoutMillis: 1000))
        #expect(v["vmnet_helper_packets_total{from=host}"] == 5000)
        #expect(v["vmnet_helper_bytes_total{from=vm}"] == 13_500_000)
        #expect(v["vmnet_helper_drops_total{from=host}"] == 12)
        #expect(v["vmnet_helper_fast_path_calls_total{from=host}"] == 200)
        #expect(v["bptop_helper_unreadable_lines_total"] == 0)
    }

    @Test func firecrackerFIFOFlushesAddUp() throws {
        let path = try CannedServer.temporaryPath().replacingOccurrences(of: "s.sock", with: "metrics.fifo")
        #expect(mkfifo(path, 0o600) == 0)
        let source = try SourceSpec(parsing: "firecracker:\(path)")
        // Nothing written yet: no figures, but the source answers.
        var v = Self.values(try source.fetch(timeoutMillis: 1000))
        #expect(v["firecracker_metrics_flushes_total"] == 0)
        let writer = open(path, O_WRONLY | O_NONBLOCK)
        #expect(writer >= 0)
        defer { close(writer) }
        let flushes = try Self.fixture("firecracker-metrics.txt")
        func flush(_ line: String) { _ = Array(line.utf8).withUnsafeBytes { write(writer, $0.baseAddress, $0.count) } }
        flush(flushes[0])
        v = Self.values(try source.fetch(timeoutMillis: 1000))
        #expect(v["firecracker_net_rx_bytes_count_total{iface=eth0}"] == 1_000_000)
        #expect(v["firecracker_net_no_tx_avail_buffer_total{iface=eth1}"] == 1)
        flush(flushes[1])
        flush(flushes[2])
        v = Self.values(try source.fetch(timeoutMillis: 1000))
        #expect(v["firecracker_metrics_flushes_total"] == 3)
        // Each flush held only its own period: the source adds them up.
        #expect(v["firecracker_net_rx_bytes_count_total{iface=eth0}"] == 6_000_000)
        #expect(v["firecracker_net_tx_bytes_count_total{iface=eth1}"] == 24_000_000)
        #expect(v["firecracker_net_tap_write_fails_total{iface=eth1}"] == 12)
        #expect(v["firecracker_net_no_tx_avail_buffer_total{iface=eth0}"] == 7)
        #expect(v["firecracker_net_no_rx_avail_buffer_total{iface=eth0}"] == 3)
        #expect(v["firecracker_net_tap_write_seconds_total{iface=eth0}"] == 0.006)
        #expect(v["firecracker_net_tap_write_max_seconds{iface=eth0}"] == 0.00075)
        // The per-device groups are read; `net`, their sum, would count everything twice.
        #expect(v["firecracker_net_rx_bytes_count_total{iface=net}"] == nil)
        #expect(v["bptop_helper_unreadable_lines_total"] == 0)
    }

    @Test func helperSourceSyntax() {
        for (text, reason) in [("gvproxy:/x", "expected gvproxy+unix:SOCKET"), ("firecracker+unix:/x", "expected firecracker:FIFO"),
                               ("vmnet-helper:", "missing path"), ("cloud-hypervisor:/x", "expected cloud-hypervisor+unix:SOCKET")] {
            do {
                _ = try SourceSpec(parsing: text)
                Issue.record("accepted \(text)")
            } catch {
                #expect(error.reason == reason)
            }
        }
    }
}
