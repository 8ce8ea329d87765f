import Testing
@testable import Relay

@Suite struct FrameTruncationTests {
    /// Every prefix parses; it is truncated until the layers the full frame announces are all
    /// there, and from then on it is the full frame's key (padding and payload don't matter).
    @Test(arguments: FrameCase.all + FrameCase.malformed)
    func everyPrefix(_ c: FrameCase) {
        for length in 0...c.frame.count {
            let key = FrameBuilder.parse(c.frame.prefix(length))
            if length < c.completeFrom {
                #expect(key.defect == .truncated, "\(length) bytes: \(key)")
            } else {
                #expect(key == c.key, "\(length) bytes")
            }
        }
    }

    @Test(arguments: [
        (0, "truncated ethernet"), (13, "truncated ethernet"),
        (14, "truncated ipv4"), (17, "truncated ipv4"), (33, "truncated ipv4"),
        (34, "truncated tcp 10.0.0.1 → 10.0.0.2"), (37, "truncated tcp 10.0.0.1 → 10.0.0.2"),
        (38, "truncated tcp 10.0.0.1:5201 → 10.0.0.2:40000"), (53, "truncated tcp 10.0.0.1:5201 → 10.0.0.2:40000"),
        (54, "tcp 10.0.0.1:5201 → 10.0.0.2:40000"),
    ])
    func ipv4TCPPrefix(_ length: Int, _ text: String) {
        let key = FrameBuilder.parse(FrameCase.ipv4TCP.frame.prefix(length))
        #expect(key.description == text)
        var expected = FrameCase.ipv4TCP.key
        if length < 54 { expected.defect = .truncated }
        if length < 38 { (expected.sourcePort, expected.destinationPort) = (0, 0) }
        if length < 34 { (expected.ipProtocol, expected.source, expected.destination) = (0, .none, .none) }
        if length < 14 { expected.kind = .unknown }
        #expect(key == expected)
    }

    @Test func vlanTagCutShort() {
        let frame = FrameBuilder.ethernet(0x0800, tags: [(0x8100, 100)], [])
        #expect(FrameBuilder.parse(frame.prefix(15)) == FlowKey(kind: .unknown, defect: .truncated))
        #expect(FrameBuilder.parse(frame.prefix(18)) == FlowKey(kind: .ipv4, vlan: 100, defect: .truncated))
    }

    @Test func ipv4HeaderLongerThanTotalLengthIsTruncatedOnlyWhenCut() {
        // IHL 7 (28 bytes) but the frame ends after 24 bytes of IP header.
        let frame = Array(FrameBuilder.ethernet(0x0800, FrameBuilder.ipv4(17, ihl: 7, FrameBuilder.udp(1, 2))).prefix(38))
        let key = FrameBuilder.parse(frame)
        #expect(key.defect == .truncated && key.source == FrameCase.v4.a && key.sourcePort == 0)
    }
}
