import Telemetry

/// gvproxy's `GET /stats` (containers/gvisor-tap-vsock, pkg/virtualnetwork/stats.go): gVisor's
/// `tcpip.Stats` walked by reflection — every nested struct an object named by its Go field,
/// every `*StatCounter` a number — plus `BytesSent` and `BytesReceived` at the top.
///
/// The fields follow the gVisor version gvproxy bundles, so they are read by path, whatever
/// is there: each number becomes a counter `gvproxy_<path in snake case>_total`
/// (`NICs.TxPacketsDroppedNoBufferSpace` → `gvproxy_nics_tx_packets_dropped_no_buffer_space_total`);
/// anything else is skipped.
enum GvproxyStats {
    static func exposition(_ body: [UInt8]) throws(ScrapeError) -> [UInt8] {
        guard case .object(let root)? = JSONReader.parse(body) else {
            throw ScrapeError("gvproxy /stats: not a JSON object")
        }
        var text = ExpositionText()
        walk(root, prefix: "gvproxy", into: &text)
        return text.bytes
    }

    private static func walk(_ object: [String: JSONValue], prefix: String, into text: inout ExpositionText) {
        for (key, value) in object.sorted(by: { $0.key < $1.key }) {
            let name = prefix + "_" + ExpositionText.snakeCase(key)
            switch value {
            case .object(let fields): walk(fields, prefix: name, into: &text)
            case .number(let n): text.sample(name + "_total", .counter, help: "gvproxy /stats counter.", n)
            default: continue
            }
        }
    }
}

/// cloud-hypervisor's `GET /api/v1/vm.counters` (vmm/src/lib.rs `vm_counters`): an object of
/// devices (`_net0`, `_disk0`, or the ids given), each an object of cumulative counters
/// (a net device's `rx_bytes`, `rx_frames`, `tx_bytes`, `tx_frames`). Each becomes
/// `cloud_hypervisor_<counter>_total{device}`; a block device's `*_latency_min/max/avg` are
/// microseconds, not counts: gauges in seconds (`cloud_hypervisor_read_latency_max_seconds{device}`),
/// left out while they still hold the "no request yet" value (u64::MAX, or it ÷ 10,000 for `avg`).
enum CloudHypervisorCounters {
    static func exposition(_ body: [UInt8]) throws(ScrapeError) -> [UInt8] {
        guard case .object(let devices)? = JSONReader.parse(body) else {
            throw ScrapeError("cloud-hypervisor vm.counters: not a JSON object")
        }
        var text = ExpositionText()
        for (device, counters) in devices.sorted(by: { $0.key < $1.key }) {
            guard case .object(let fields) = counters else { continue }
            for (counter, value) in fields.sorted(by: { $0.key < $1.key }) {
                guard let n = value.double else { continue }
                let name = "cloud_hypervisor_\(ExpositionText.snakeCase(counter))"
                if counter.contains("latency") {
                    guard n < 1e15 else { continue }
                    text.sample(name + "_seconds", .gauge, help: "cloud-hypervisor block latency, per device.",
                                labels: [("device", device)], n / 1e6)
                } else {
                    text.sample(name + "_total", .counter, help: "cloud-hypervisor vm.counters, per device.", labels: [("device", device)], n)
                }
            }
        }
        return text.bytes
    }
}
