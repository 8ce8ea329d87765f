import Testing
@testable import Relay

@Suite struct FrameParserTests {
    @Test(arguments: FrameCase.all + FrameCase.malformed)
    func parsesToExactKey(_ c: FrameCase) {
        let key = FrameBuilder.parse(c.frame)
        #expect(key == c.key)
        #expect(key.description == c.text)
    }

    @Test func bothDirectionsShareOneCanonicalKey() {
        let forward = FrameBuilder.parse(FrameCase.ipv4TCP.frame)
        let reverse = FrameBuilder.parse(FrameBuilder.ethernet(0x0800, FrameBuilder.ipv4(
            6, from: FrameBuilder.v4b, to: FrameBuilder.v4a, FrameBuilder.tcp(40000, 5201))))
        #expect(reverse.description == "tcp 10.0.0.2:40000 → 10.0.0.1:5201")
        #expect(forward.canonical.key == reverse.canonical.key)
        #expect(forward.canonical.swapped == false)
        #expect(reverse.canonical.swapped == true)
        #expect(forward.canonical.key == forward)
    }

    @Test func sameAddressesOrderByPort() {
        var key = FrameCase.ipv4TCP.key
        key.destination = key.source
        #expect(key.canonical.swapped == false)
        swap(&key.sourcePort, &key.destinationPort)
        #expect(key.canonical.swapped == true)
        #expect(key.canonical.key.sourcePort == 5201)
    }

    @Test(arguments: [
        (FlowAddress.ipv6(high: 0, low: 0), "::"),
        (.ipv6(high: 0, low: 1), "::1"),
        (.ipv6(high: 0x2001_0db8_0000_0001, low: 0x0000_0000_0000_0001), "2001:db8:0:1::1"),
        (.ipv6(high: 0x2001_0db8_0000_0000, low: 0x0001_0000_0000_0001), "2001:db8::1:0:0:1"),
        (.ipv6(high: 0xfe80_0000_0000_0000, low: 0x1234_5678_9abc_def0), "fe80::1234:5678:9abc:def0"),
        (.ipv6(high: 0x0001_0002_0003_0004, low: 0x0005_0006_0007_0000), "1:2:3:4:5:6:7:0"),
        (.ipv4(0xffff_ffff), "255.255.255.255"),
    ])
    func addressText(_ address: FlowAddress, _ text: String) {
        #expect(address.description == text)
    }
}
