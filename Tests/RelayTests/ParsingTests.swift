import Testing
@testable import Relay

@Suite struct ParsingTests {
    @Test(arguments: [
        ("wait", RetryPolicy.wait), ("spin", .spin), ("drop", .drop),
        ("sleep=50us", .sleep(micros: 50, maxRetries: nil)),
        ("sleep=2ms,max=10", .sleep(micros: 2000, maxRetries: 10)),
    ])
    func policies(text: String, expected: RetryPolicy) throws {
        #expect(try RetryPolicy(parsing: text) == expected)
        #expect(expected.description == (text == "sleep=2ms,max=10" ? "sleep=2000us,max=10" : text))
    }

    @Test(arguments: [
        ("busy", "invalid --on-full \"busy\": expected wait, spin, drop or sleep=DURATION[,max=N]"),
        ("sleep=50", "invalid --on-full \"sleep=50\": sleep duration must look like 50us or 2ms (1us to 1s)"),
        ("sleep=0us", "invalid --on-full \"sleep=0us\": sleep duration must look like 50us or 2ms (1us to 1s)"),
        ("sleep=50us,max=x", "invalid --on-full \"sleep=50us,max=x\": expected max=N with N a whole number"),
    ])
    func badPolicies(text: String, message: String) {
        #expect { try RetryPolicy(parsing: text) } throws: { "\($0)" == message }
    }

    @Test func injection() throws {
        #expect(try FaultInjection(parsing: "enobufs:every=97,burst=3") == FaultInjection(every: 97, burst: 3))
        #expect(try FaultInjection(parsing: "enobufs:every=5") == FaultInjection(every: 5, burst: 1))
    }

    @Test(arguments: [
        ("eagain:every=3", "invalid --inject \"eagain:every=3\": expected enobufs:every=N[,burst=K]"),
        ("enobufs:every=0", "invalid --inject \"enobufs:every=0\": \"every=0\" must be every=N or burst=K with N, K ≥ 1"),
        ("enobufs:burst=2", "invalid --inject \"enobufs:burst=2\": every=N is required"),
        ("enobufs:every=2,size=1", "invalid --inject \"enobufs:every=2,size=1\": unknown key \"size\" (every, burst)"),
    ])
    func badInjection(text: String, message: String) {
        #expect { try FaultInjection(parsing: text) } throws: { "\($0)" == message }
    }

    @Test func injectedFaults() throws {
        let both = try InjectedFaults(parsing: ["no-writable:for=20ms", "enobufs:every=7"])
        #expect(both == InjectedFaults(enobufs: FaultInjection(every: 7), noWritable: WritableFault(withholdMicros: 20_000)))
        #expect(both.description == "enobufs:every=7,burst=1 no-writable:for=20000us")
        #expect(try InjectedFaults(parsing: ["no-writable"]).noWritable == WritableFault(withholdMicros: nil))
        #expect(try InjectedFaults(parsing: []) == InjectedFaults())
    }

    @Test(arguments: [
        (["no-writable:20ms"], "invalid --inject \"no-writable:20ms\": expected no-writable or no-writable:for=DURATION (such as 500us or 20ms, up to 1s)"),
        (["no-writable:for=2s"], "invalid --inject \"no-writable:for=2s\": expected no-writable or no-writable:for=DURATION (such as 500us or 20ms, up to 1s)"),
        (["no-writable", "no-writable"], "invalid --inject \"no-writable\": no-writable is given twice"),
        (["enobufs:every=2", "enobufs:every=3"], "invalid --inject \"enobufs:every=3\": enobufs is given twice"),
        (["eagain:every=3"], "invalid --inject \"eagain:every=3\": expected enobufs:every=N[,burst=K] or no-writable[:for=DURATION]"),
    ])
    func badFaults(specs: [String], message: String) {
        #expect { try InjectedFaults(parsing: specs) } throws: { "\($0)" == message }
    }

    @Test(arguments: [
        ("127.0.0.1:5201", "127.0.0.1:5201"), ("[::1]:80", "[::1]:80"), ("localhost:0", "127.0.0.1:0"),
    ])
    func addresses(text: String, expected: String) throws {
        #expect(try SocketAddress(parsing: text).description == expected)
    }

    @Test(arguments: [
        ("127.0.0.1", "invalid address \"127.0.0.1\": expected HOST:PORT"),
        ("127.0.0.1:99999", "invalid address \"127.0.0.1:99999\": port must be a number from 0 to 65535"),
        (":80", "invalid address \":80\": missing host"),
        ("[::1]80", "invalid address \"[::1]80\": expected [IPv6]:PORT"),
        ("no.such.host.invalid:80", "invalid address \"no.such.host.invalid:80\": cannot resolve host \"no.such.host.invalid\""),
    ])
    func badAddresses(text: String, message: String) {
        #expect { try SocketAddress(parsing: text) } throws: { "\($0)" == message }
    }

    @Test func tcpRefusesDroppingPolicies() throws {
        let a = try SocketAddress(parsing: "127.0.0.1:1")
        for policy in [RetryPolicy.drop, .sleep(micros: 50, maxRetries: 10)] {
            #expect(throws: PolicyError.self) { try RelayConfiguration(listen: a, connect: a, policy: policy) }
        }
        #expect(try RelayConfiguration(listen: a, connect: a, policy: .sleep(micros: 50, maxRetries: nil)).policy
            == .sleep(micros: 50, maxRetries: nil))
    }

    /// Next to UDP, TCP streams take the policy without its drops (and every lossless one as it is).
    @Test(arguments: [
        (RetryPolicy.drop, RetryPolicy.wait), (.sleep(micros: 50, maxRetries: 10), .sleep(micros: 50, maxRetries: nil)),
        (.wait, .wait), (.spin, .spin), (.sleep(micros: 7, maxRetries: nil), .sleep(micros: 7, maxRetries: nil)),
    ])
    func losslessPolicies(policy: RetryPolicy, lossless: RetryPolicy) throws {
        #expect(policy.lossless == lossless && !lossless.mayDrop)
    }

    /// UDP takes every policy; its buffer never exceeds the largest UDP datagram.
    @Test func udpTakesEveryPolicy() throws {
        let a = try SocketAddress(parsing: "127.0.0.1:1")
        let config = UDPRelayConfiguration(listen: a, connect: a, policy: .drop, bufferSize: 256 * 1024)
        #expect(config.policy == .drop && config.bufferSize == 65_536)
        #expect(UDPRelayConfiguration(listen: a, connect: a, bufferSize: 4096).bufferSize == 4096)
    }
}
