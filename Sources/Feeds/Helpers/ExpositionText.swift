import Telemetry

/// Prometheus text written from a helper's own stats, so they enter bptop's store by the same
/// parser as any exporter's scrape. Families are declared once, in the order first written.
struct ExpositionText: ~Copyable {
    private var writer = ByteWriter(capacity: 4096)
    private var declared = Set<String>()

    enum Kind {
        case counter, gauge
    }

    /// One sample; a counter's `name` ends in `_total`.
    mutating func sample(_ name: String, _ kind: Kind, help: String, labels: [(String, String)] = [], _ value: Double) {
        if declared.insert(name).inserted {
            writer.append("# HELP "); writer.append(string: name); writer.append(" "); writer.append(string: help); writer.append("\n")
            writer.append("# TYPE "); writer.append(string: name)
            writer.append(kind == .counter ? " counter\n" : " gauge\n")
        }
        writer.append(string: name)
        if !labels.isEmpty {
            writer.append("{")
            for (i, (label, text)) in labels.enumerated() {
                if i > 0 { writer.append(",") }
                writer.append(string: label); writer.append("=\""); writer.append(labelValue: text); writer.append("\"")
            }
            writer.append("}")
        }
        writer.append(" ")
        writer.append(jsonNumber: value)
        writer.append("\n")
    }

    var bytes: [UInt8] { writer.bytes }

    /// `TxPacketsDroppedNoBufferSpace` → `tx_packets_dropped_no_buffer_space`, `NICs` → `nics`,
    /// `ICMPv4PacketStats` → `icmpv4_packet_stats`, `IPTablesPreroutingDropped` →
    /// `ip_tables_prerouting_dropped`: Go field names as metric words.
    static func snakeCase(_ name: String) -> String {
        let c = Array(name)
        var out = ""
        for i in c.indices {
            let ch = c[i]
            if ch.isUppercase, i > 0 {
                let previous = c[i - 1]
                let next: Character? = i + 1 < c.count ? c[i + 1] : nil
                // An acronym's plural ("NICs") keeps its "s".
                let plural = next == "s" && (i + 2 == c.count || c[i + 2].isUppercase)
                // …and its version ("ICMPv4").
                let versioned = next?.isLowercase == true && i + 2 < c.count && c[i + 2].isNumber
                if previous.isLowercase || previous.isNumber
                    || (previous.isUppercase && next?.isLowercase == true && !plural && !versioned) {
                    out += "_"
                }
            }
            out += ch.lowercased()
        }
        return out
    }
}
