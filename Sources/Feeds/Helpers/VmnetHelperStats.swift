import Telemetry

/// vmnet-helper's `--stats-interval N` lines on stderr (nirs/vmnet-helper, programs/helper.c
/// `report_stats`): `INFO  [stats] {"time": "…", "host": {packets, bytes, drops, fast, slow},
/// "vm": {…}}`. `host` counts what was forwarded from the host (vmnet) to the VM, `vm` from
/// the VM to the host; all cumulative since the helper started, so the newest line is the state.
struct VmnetHelperStats {
    private var latest: [String: JSONValue]?

    /// Takes a log line; lines other than `[stats]` (the helper's other log lines) are ignored,
    /// a `[stats]` line that does not parse is counted.
    mutating func apply(_ line: [UInt8]) -> Bool {
        let marker = Array("[stats] ".utf8)
        guard let start = line.firstRange(of: marker)?.upperBound else { return true }
        guard case .object(let stats)? = JSONReader.parse(line[start...]) else { return false }
        latest = stats
        return true
    }

    var exposition: [UInt8] {
        var text = ExpositionText()
        guard let latest else { return text.bytes }
        let fields: [(key: String, name: String, help: String)] = [
            ("packets", "vmnet_helper_packets_total", "Packets forwarded, by where they came from (host: vmnet → VM, vm: VM → vmnet)."),
            ("bytes", "vmnet_helper_bytes_total", "Bytes forwarded, by where they came from."),
            ("drops", "vmnet_helper_drops_total", "Packets dropped (a write that failed), by where they came from."),
            ("fast", "vmnet_helper_fast_path_calls_total", "Batched calls (recvmsg_x/sendmsg_x, vmnet_read/write of many packets)."),
            ("slow", "vmnet_helper_slow_path_calls_total", "One-packet calls (read/write), taken when the batched path failed."),
        ]
        for field in fields {
            for side in ["host", "vm"] {
                if let n = latest[side]?[field.key]?.double {
                    text.sample(field.name, .counter, help: field.help, labels: [("from", side)], n)
                }
            }
        }
        return text.bytes
    }
}

/// Firecracker's metrics (`--metrics-path`, a FIFO or a file; firecracker-microvm/firecracker,
/// src/vmm/src/logger/metrics.rs and src/vmm/src/devices/virtio/net/metrics.rs): one JSON
/// object per line per flush. Its counters (`SharedIncMetric`) are **reset at each flush**,
/// so each line holds what happened since the one before; this adds them up into cumulative
/// counters. Only the network groups are read: `net_<iface_id>` per device and `net`, their
/// sum (used only when a line has no per-device group, as older Firecrackers write).
/// `tap_write_agg` holds latencies in µs: `sum_us` a reset counter, `min_us`/`max_us` values
/// of the last period.
struct FirecrackerMetrics {
    private var totals: [Key: Double] = [:]
    private var latencies: [String: (min: Double, max: Double)] = [:]
    private(set) var flushes = 0

    private struct Key: Hashable, Comparable {
        let iface: String
        let field: String

        static func < (a: Key, b: Key) -> Bool { (a.iface, a.field) < (b.iface, b.field) }
    }

    mutating func apply(_ line: [UInt8]) -> Bool {
        guard case .object(let groups)? = JSONReader.parse(line) else { return false }
        flushes += 1
        let devices = groups.filter { $0.key.hasPrefix("net_") }
        let chosen = devices.isEmpty ? groups.filter { $0.key == "net" } : devices
        for (group, value) in chosen {
            guard case .object(let fields) = value else { continue }
            let iface = group == "net" ? "net" : String(group.dropFirst(4))
            for (field, v) in fields {
                if let n = v.double {
                    totals[Key(iface: iface, field: field), default: 0] += n
                } else if field == "tap_write_agg" {
                    totals[Key(iface: iface, field: "tap_write_sum_us"), default: 0] += v["sum_us"]?.double ?? 0
                    latencies[iface] = (v["min_us"]?.double ?? 0, v["max_us"]?.double ?? 0)
                }
            }
        }
        return true
    }

    var exposition: [UInt8] {
        var text = ExpositionText()
        text.sample("firecracker_metrics_flushes_total", .counter, help: "Metrics lines read (one per Firecracker flush).", Double(flushes))
        for key in totals.keys.sorted() {
            let value = totals[key]!
            if key.field == "tap_write_sum_us" {
                text.sample("firecracker_net_tap_write_seconds_total", .counter, help: "Time spent writing to the tap device.",
                            labels: [("iface", key.iface)], value / 1e6)
            } else {
                text.sample("firecracker_net_\(key.field)_total", .counter, help: "Firecracker net metric, summed over flushes.",
                            labels: [("iface", key.iface)], value)
            }
        }
        for iface in latencies.keys.sorted() {
            let l = latencies[iface]!
            text.sample("firecracker_net_tap_write_min_seconds", .gauge, help: "Shortest tap write in the last flush period.",
                        labels: [("iface", iface)], l.min / 1e6)
            text.sample("firecracker_net_tap_write_max_seconds", .gauge, help: "Longest tap write in the last flush period.",
                        labels: [("iface", iface)], l.max / 1e6)
        }
        return text.bytes
    }
}
