/// A `FlowKey` as six machine words: the form the flow table compares and hashes on every
/// frame. `FlowKey`'s enums and optionals cost a switch per field to compare; these are six
/// integer compares, and equal keys give equal words (every field is in them) and the reverse.
///
/// `header`: kind (3 bits), ethertype of `.other` (16), IP protocol (8), fragment (1),
/// defect (2), then the source port in bits 32–47 and the destination port in bits 48–63, so
/// exchanging the endpoints exchanges the two halves of the top 32 bits.
struct PackedFlowKey: Equatable {
    var header: UInt64
    /// Both VLAN tags, each with a bit that says it is there.
    var labels: UInt64
    var source: (UInt64, UInt64)
    var destination: (UInt64, UInt64)

    @inline(__always)
    init(_ key: FlowKey) {
        let (code, ethertype): (UInt64, UInt64) = switch key.kind {
        case .ipv4: (1, 0)
        case .ipv6: (2, 0)
        case .arp: (3, 0)
        case .other(let type): (4, UInt64(type))
        case .unknown: (5, 0)
        }
        let defect: UInt64 = switch key.defect {
        case nil: 0
        case .truncated: 1
        case .malformed: 2
        }
        header = code | ethertype << 3 | UInt64(key.ipProtocol) << 19 | (key.fragment ? 1 << 27 : 0) | defect << 28
            | UInt64(key.sourcePort) << 32 | UInt64(key.destinationPort) << 48
        let inner = key.vlan.map { UInt64($0) | 1 << 16 } ?? 0
        let outer = key.outerVLAN.map { UInt64($0) | 1 << 16 } ?? 0
        labels = inner | outer << 17
        source = key.source.words
        destination = key.destination.words
    }

    static func == (a: PackedFlowKey, b: PackedFlowKey) -> Bool {
        // Bitwise: one branch instead of six.
        (a.header ^ b.header) | (a.labels ^ b.labels) | (a.source.0 ^ b.source.0) | (a.source.1 ^ b.source.1)
            | (a.destination.0 ^ b.destination.0) | (a.destination.1 ^ b.destination.1) == 0
    }

    /// Whether the destination endpoint (address, then port) is smaller than the source: then
    /// the flow's canonical form has them exchanged (see `FlowKey.canonical`). Addresses of
    /// one family order as numbers, and `.none` below both.
    var endpointsDescending: Bool {
        (destination.0, destination.1, header >> 48) < (source.0, source.1, header >> 32 & 0xffff)
    }

    /// The same key seen from the other end.
    mutating func swapEndpoints() {
        swap(&source, &destination)
        header = header & 0xffff_ffff | (header >> 48) << 32 | (header >> 32 & 0xffff) << 48
    }

    /// Multiply-add of word pairs (NH-style) with the table's random seed, then a
    /// multiplicative finish: the high bits of the result pick the bucket. Seeded per table
    /// so a guest cannot choose flows that all land in one bucket.
    @inline(__always)
    func hash(_ seed: FlowHashSeed) -> UInt64 {
        let mixed = (header &+ seed.words.0) &* (labels &+ seed.words.1)
            &+ (source.0 &+ seed.words.2) &* (source.1 &+ seed.words.3)
            &+ (destination.0 &+ seed.words.4) &* (destination.1 &+ seed.words.5)
        return (mixed ^ mixed >> 29) &* seed.finish
    }
}

/// The random constants of one flow table's hash.
struct FlowHashSeed {
    let words: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64)
    /// Odd for a real seed. A test may pass 0: every key then hashes to 0 (all collide).
    let finish: UInt64

    init(words: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64), finish: UInt64) {
        self.words = words
        self.finish = finish
    }

    static func random() -> FlowHashSeed {
        var g = SystemRandomNumberGenerator()
        return FlowHashSeed(words: (g.next(), g.next(), g.next(), g.next(), g.next(), g.next()), finish: g.next() | 1)
    }
}

extension FlowAddress {
    /// Two words that differ for different addresses of the same case and order as the
    /// addresses do.
    var words: (UInt64, UInt64) {
        switch self {
        case .none: (0, 0)
        case .ipv4(let a): (UInt64(a) | 1 << 32, 0)
        case .ipv6(let high, let low): (high, low)
        }
    }
}
