/// What kind of stream a stream is, as far as its per-stream families go: a family is written
/// for a stream when their kinds meet.
///
/// Worked out once per stream per render (`ExpositionWriter`), so the fifteen passes over the
/// streams, one per family, test a byte instead of reading each stream's identity and
/// observed figures again.
struct StreamKinds: OptionSet {
    let rawValue: UInt8

    /// A stream the agent relays: every family its data path fills.
    static let relayed = StreamKinds(rawValue: 1)
    /// A relayed stream of frames (a datagram flow): the frames-only families too.
    static let frames = StreamKinds(rawValue: 2)
    /// A TCP socket `bpagent observe` watches: only what the kernel can fill (bytes).
    static let observedTCP = StreamKinds(rawValue: 4)

    /// The streams that have `family`.
    init(of family: DirectionFamily) {
        if family.framesOnly {
            self = .frames
        } else {
            self = family.observedToo ? [.relayed, .observedTCP] : .relayed
        }
    }

    /// What `stream` is (an observed socket other than TCP has no per-direction family).
    init(of stream: borrowing StreamSnapshot) {
        if let observed = stream.observed {
            self = observed.tcp == nil ? [] : .observedTCP
        } else {
            self = stream.identity.carriesFrames ? [.relayed, .frames] : .relayed
        }
    }

    init(rawValue: UInt8) {
        self.rawValue = rawValue
    }
}
