/// The identity of one flow of Ethernet frames, as the frame relay attributes it.
///
/// Built once per frame on the relay's hot path, so every field is a fixed-size value: no
/// arrays, no strings, nothing on the heap. Two frames belong to the same flow exactly when
/// their keys are equal; `defect` is part of that equality so damaged frames are counted as
/// streams of their own and never inflate a healthy flow.
struct FlowKey: Hashable, Sendable {
    /// What the (innermost) ethertype says the frame carries.
    enum Kind: Hashable, Sendable {
        case ipv4, ipv6, arp
        /// Any other ethertype, e.g. LLDP's 0x88cc. Values below 0x0600 are 802.3 lengths
        /// and are kept as they are: one stream per length is harmless and rare.
        case other(ethertype: UInt16)
        /// The frame ended before its (innermost) ethertype.
        case unknown
    }

    /// Why the fields after some layer are missing.
    enum Defect: Hashable, Sendable {
        /// The frame ended inside a header, or before the length an IP header announces.
        case truncated
        /// A header contradicts itself (IPv4 IHL < 5, total length shorter than the header,
        /// a wrong IP version, more IPv6 extension headers than the parser walks).
        case malformed
    }

    var kind: Kind
    /// The innermost VLAN id (the 802.1Q C-tag), if the frame is tagged.
    var vlan: UInt16?
    /// The outer VLAN id of a QinQ (802.1ad S-tag, or a second 802.1Q tag) frame.
    var outerVLAN: UInt16?
    /// The IP protocol (IPv4) or the last next-header value (IPv6); 0 for non-IP frames.
    var ipProtocol: UInt8
    var source: FlowAddress
    var destination: FlowAddress
    /// TCP or UDP ports; 0 for other protocols and for non-first fragments.
    var sourcePort: UInt16
    var destinationPort: UInt16
    /// The frame is an IP fragment (first or not). Only a first fragment has ports.
    var fragment: Bool
    var defect: Defect?

    init(kind: Kind, vlan: UInt16? = nil, outerVLAN: UInt16? = nil, ipProtocol: UInt8 = 0,
                source: FlowAddress = .none, destination: FlowAddress = .none,
                sourcePort: UInt16 = 0, destinationPort: UInt16 = 0,
                fragment: Bool = false, defect: Defect? = nil) {
        self.kind = kind
        self.vlan = vlan
        self.outerVLAN = outerVLAN
        self.ipProtocol = ipProtocol
        self.source = source
        self.destination = destination
        self.sourcePort = sourcePort
        self.destinationPort = destinationPort
        self.fragment = fragment
        self.defect = defect
    }
}

/// An IP address stored inline (IPv4 as one `UInt32`, IPv6 as two `UInt64`, both in host
/// order), so keys hash and compare without touching the heap.
enum FlowAddress: Hashable, Sendable {
    case none
    case ipv4(UInt32)
    case ipv6(high: UInt64, low: UInt64)
}
