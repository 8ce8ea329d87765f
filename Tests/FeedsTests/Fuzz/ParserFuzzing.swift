#if canImport(Glibc)
import Glibc
#endif
@testable import Feeds
import Telemetry

/// A seeded fuzzer for bptop's readers of outside bytes: the Prometheus text parser, the
/// iperf3 text/JSON readers and the HTTP response parser. Inputs are real recorded outputs
/// (Fixtures/, TelemetryTests/Fixtures/) damaged by byte edits, format tokens, numbers at the
/// edges of their types, splices and repeats; each input must parse without a trap, keep
/// the target's invariants, and read the same whether it arrives whole or in random pieces.
///
/// ParserFuzzTests runs a slice of it in CI; Scripts/fuzz-parsers compiles this file with
/// optimisation and runs a million inputs per target.
enum FuzzTarget: String, CaseIterable, Sendable {
    case prometheus, iperf3, http

    /// Inputs longer than this are cut: long enough for every seed and its repeats.
    static let maxInputBytes = 256 << 10

    /// The recorded outputs this target's inputs are made from.
    var seeds: [[UInt8]] {
        switch self {
        case .prometheus: FuzzSeeds.expositions
        case .iperf3: FuzzSeeds.iperf3Outputs
        case .http: FuzzSeeds.responses
        }
    }

    /// Tokens of the target's format, for insertions.
    var tokens: [[UInt8]] {
        let words: [String] = switch self {
        case .prometheus:
            ["\n", "#", "# TYPE ", "# HELP ", " counter", " gaugehistogram", " histogram", "_bucket", "_count", "_sum",
             "{", "}", "=", ",", "\"", "\\", "\\\"", "\\n", "le=\"", "quantile=\"", "{\"a.b\"}", "\"x\"=\"y\"", "__name__"]
        case .iperf3:
            ["\n", "\r\n", "[  5]", "[SUM]", "[ ID]", "[TX-C]", "{", "}", "[", "]", "\"", ":", ",", "\"event\"",
             "\"interval\"", "\"end\"", "sec", "Bytes", "KBytes", "Gbits/sec", "receiver", "sender", "iperf Done.", "-"]
        case .http:
            ["\r\n", "\r\n\r\n", ":", "Content-Length: ", "Transfer-Encoding: chunked\r\n", "Content-Encoding: gzip\r\n",
             "HTTP/1.1 100 Continue\r\n\r\n", "HTTP/1.1 200 OK\r\n", "0\r\n\r\n", ";ext=1", "\r\n0\r\n"]
        }
        return (words + Self.edgeNumbers).map { Array($0.utf8) }
    }

    static let edgeNumbers = ["0", "-0", "-1", "+1", "NaN", "+Inf", "-Inf", "1e400", "-1e400", "0x1p-3", "1_0",
                              "9223372036854775807", "9223372036854775808", "-9223372036854775809",
                              "18446744073709551616", "7fffffffffffffff", "ffffffffffffffffff", "67108865", "99999999999999999999"]

    /// Runs one input; the invariant it broke, if any. `random` chooses how it is split.
    func check(_ input: [UInt8], random: inout FuzzRandom) -> String? {
        switch self {
        case .prometheus: Self.checkExposition(input)
        case .iperf3: Self.checkIperf3(input, random: &random)
        case .http: Self.checkResponse(input, random: &random)
        }
    }

    private static func checkExposition(_ input: [UInt8]) -> String? {
        let parsed = PrometheusTextParser.parse(input)
        let lines = input.count { $0 == 0x0A } + 1
        if parsed.samples.count + parsed.skippedLines > lines { return "more samples and skips than lines" }
        if parsed.skippedExamples.count > ParsedExposition.maxSkippedExamples { return "unbounded skip examples" }
        for sample in parsed.samples {
            if sample.name.isEmpty { return "empty metric name" }
            if Set(sample.labels.map(\.name)).count != sample.labels.count { return "duplicate label names kept" }
            if sample.labels.contains(where: { $0.name.isEmpty || $0.name == "__name__" }) { return "bad label name kept" }
            let family = parsed.family(of: sample)
            if sample.value < 0, family.type.hasBuckets, family.name != sample.name,
               sample.name.hasSuffix("_count") || sample.name.hasSuffix("_bucket") { return "negative histogram count kept" }
        }
        return nil
    }

    private static func checkIperf3(_ input: [UInt8], random: inout FuzzRandom) -> String? {
        let whole = Iperf3Parser.parse(input)
        var parser = Iperf3Parser()
        for piece in pieces(of: input, random: &random) {
            parser.feed(piece)
            if parser.bufferedBytes > Iperf3Parser.maxLineBytes + Iperf3JSONReader.maxDocumentBytes { return "unbounded buffer" }
        }
        parser.finish()
        return parser.report == whole ? nil : "pieces read differently from the whole"
    }

    private static func checkResponse(_ input: [UInt8], random: inout FuzzRandom) -> String? {
        let whole = Result { () throws(ScrapeError) in try HTTPResponseParser.body(of: input) }
        var parser = HTTPResponseParser()
        var inPieces: Result<[UInt8], ScrapeError>?
        for piece in pieces(of: input, random: &random) where inPieces == nil {
            do throws(ScrapeError) {
                if let body = try parser.append(piece) { inPieces = .success(body) }
            } catch {
                inPieces = .failure(error)
            }
        }
        let final = inPieces ?? Result { () throws(ScrapeError) in try parser.finish() }
        if case .success(let body) = whole, body.count > ScrapeClient.maxBodyBytes { return "body over the limit" }
        return final == whole ? nil : "pieces read differently from the whole"
    }

    /// `input` cut at random places: whole, in pieces of up to 4 KiB, 100 or 7 bytes, or (when
    /// short) a byte at a time.
    private static func pieces(of input: [UInt8], random: inout FuzzRandom) -> [ArraySlice<UInt8>] {
        let most = [input.count < 2048 ? 1 : 7, 7, 100, 4096, input.count + 1][random.below(5)]
        var out: [ArraySlice<UInt8>] = []
        var at = 0
        while at < input.count {
            let end = min(at + 1 + random.below(most), input.count)
            out.append(input[at..<end])
            at = end
        }
        return out
    }
}

/// xorshift64*: a fixed, portable sequence for a seed, so any failing input can be made again
/// from the seed and its number.
struct FuzzRandom: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed == 0 ? 0x9E37_79B9_7F4A_7C15 : seed
    }

    mutating func next() -> UInt64 {
        state ^= state >> 12
        state ^= state << 25
        state ^= state >> 27
        return state &* 0x2545_F491_4F6C_DD1D
    }

    /// A number in 0..<n (n > 0).
    mutating func below(_ n: Int) -> Int {
        Int(next() % UInt64(n))
    }
}

/// Makes inputs from seeds: 1 to 6 edits each.
struct FuzzInputs {
    let target: FuzzTarget
    private let seeds: [[UInt8]]
    private let tokens: [[UInt8]]
    private static let interestingBytes: [UInt8] = [0, 0x09, 0x0A, 0x0D, 0x20, 0x22, 0x23, 0x2C, 0x3A, 0x3B, 0x3D, 0x5C,
                                                    0x7B, 0x7D, 0x7F, 0x80, 0xBD, 0xC3, 0xE2, 0xFF]

    init(target: FuzzTarget) {
        self.target = target
        seeds = target.seeds
        tokens = target.tokens
    }

    func make(_ random: inout FuzzRandom) -> [UInt8] {
        var input = seeds[random.below(seeds.count)]
        for _ in 0...random.below(6) {
            edit(&input, &random)
        }
        if input.count > FuzzTarget.maxInputBytes { input.removeLast(input.count - FuzzTarget.maxInputBytes) }
        return input
    }

    private func edit(_ input: inout [UInt8], _ random: inout FuzzRandom) {
        let at = random.below(input.count + 1)
        switch random.below(9) {
        case 0 where at < input.count: input[at] = UInt8(truncatingIfNeeded: random.next())
        case 1 where at < input.count: input[at] = Self.interestingBytes[random.below(Self.interestingBytes.count)]
        case 2: input.insert(contentsOf: tokens[random.below(tokens.count)], at: at)
        case 3: input.removeSubrange(at..<min(at + 1 + random.below(64), input.count))
        case 4:
            let piece = input[at..<min(at + 1 + random.below(1024), input.count)]
            input.insert(contentsOf: Array(piece), at: random.below(input.count + 1))
        case 5: input.removeLast(input.count - at)
        case 6:
            let other = seeds[random.below(seeds.count)]
            input = Array(input[..<at]) + other[random.below(other.count + 1)...]
        case 7:
            // A run of digits replaced by a number at the edge of its type.
            guard let start = input[at...].firstIndex(where: { $0 >= 0x30 && $0 <= 0x39 }) else { return }
            let end = input[start...].firstIndex { !($0 >= 0x30 && $0 <= 0x39) } ?? input.count
            input.replaceSubrange(start..<end, with: FuzzTarget.edgeNumbers[random.below(FuzzTarget.edgeNumbers.count)].utf8)
        default:
            // A line repeated many times.
            let lineStart = input[..<at].lastIndex(of: 0x0A).map { $0 + 1 } ?? 0
            let lineEnd = input[at...].firstIndex(of: 0x0A).map { $0 + 1 } ?? input.count
            let line = input[lineStart..<lineEnd]
            let times = min(random.below(200), (FuzzTarget.maxInputBytes - input.count) / max(line.count, 1))
            input.insert(contentsOf: Array(repeatElement(line, count: max(times, 0)).joined()), at: lineEnd)
        }
    }
}

/// The recorded outputs inputs are made from, read by path (the test targets declare no resources).
enum FuzzSeeds {
    private static let feedsFixtures = String(#filePath.utf8.dropLast("Fuzz/ParserFuzzing.swift".utf8.count))! + "Fixtures/"

    /// A real bpagent scrape (Content-Length) and a real Prometheus 2.42 one (chunked).
    static let responses = ["http/bpagent-metrics.http", "http/prometheus-2.42-metrics-chunked.http"].map(file)

    /// Those two bodies and every input of the reference parser's test table.
    static let expositions: [[UInt8]] = {
        let bodies = responses.map { try! HTTPResponseParser.body(of: $0) }
        let table = JSONReader.parse(file("../../TelemetryTests/Fixtures/expfmt-text-parse.json"))!
        let documents = (table["valid"]?.array ?? []) + (table["invalid"]?.array ?? [])
        return bodies + documents.compactMap { $0["input"]?.string.map { Array($0.utf8) } }
    }()

    /// Every recorded iperf3 output.
    static let iperf3Outputs = ["bidir-p2.txt", "forceflush.txt", "json-bidir.json", "json-damaged.json", "json-p2.json",
                                "json-stream-bidir.jsonl", "json-stream-damaged.jsonl", "json-stream-p2.jsonl", "json-udp.json",
                                "omit.txt", "reverse.txt", "server-two-tests.txt", "tcp-p2-damaged.txt", "tcp-p2.txt",
                                "timestamps.txt", "udp.txt", "verbose.txt"].map { file("iperf3/" + $0) }

    private static func file(_ name: String) -> [UInt8] {
        guard let bytes = FileBytes.read(feedsFixtures + name) else { fatalError("fuzz seed missing: \(feedsFixtures + name)") }
        return bytes
    }
}

/// What a run found.
struct FuzzOutcome {
    var inputs = 0
    var bytes = 0
    /// Each broken invariant with the number of the input that broke it first.
    var failures: [(input: Int, what: String, bytes: [UInt8])] = []
    var slowestNanoseconds: Int64 = 0
    var slowestInput = 0
    var slowestBytes: [UInt8] = []
}

enum ParserFuzzing {
    /// Runs inputs `first..<first + count` of `target` made from `seed`; input `i` is the same
    /// for the same seed in any run, so a failure found in a long run can be replayed alone.
    static func run(_ target: FuzzTarget, count: Int, seed: UInt64, first: Int = 0) -> FuzzOutcome {
        let inputs = FuzzInputs(target: target)
        var outcome = FuzzOutcome()
        let clock = ContinuousClock()
        for i in first..<(first + count) {
            var random = FuzzRandom(seed: seed &+ UInt64(i) &* 0x9E37_79B9_7F4A_7C15)
            let input = inputs.make(&random)
            let start = clock.now
            let failure = target.check(input, random: &random)
            let elapsed = start.duration(to: clock.now)
            let nanoseconds = elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000
            if nanoseconds > outcome.slowestNanoseconds {
                outcome.slowestNanoseconds = nanoseconds
                outcome.slowestInput = i
                outcome.slowestBytes = input
            }
            outcome.inputs += 1
            outcome.bytes += input.count
            if let failure, !outcome.failures.contains(where: { $0.what == failure }) {
                outcome.failures.append((i, failure, input))
            }
        }
        return outcome
    }
}
