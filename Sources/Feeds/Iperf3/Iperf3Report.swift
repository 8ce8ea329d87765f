/// What bptop reads from one iperf3 output (text, `--json` or `--json-stream`): the tests in
/// order — a server log holds one per client run — and how many lines could not be read, which
/// the header shows so a bad log is visible without ever stopping the dashboard.
public struct Iperf3Report: Equatable, Sendable {
    public enum Format: Equatable, Sendable { case text, json, jsonStream }

    /// Decided by the first non-blank byte (`{` is JSON); nil until one arrives.
    public var format: Format?
    public var tests: [Iperf3Test] = []
    public var skippedLines = 0
}

/// One iperf3 test as either end saw it.
public struct Iperf3Test: Equatable, Sendable {
    public enum Side: Equatable, Sendable { case client, server }

    public var side: Side = .client
    /// "iperf 3.12" (JSON, or text with `-V`).
    public var version: String?
    /// The start time as iperf3 printed it (JSON `timestamp.time`, text `-V` "Time:" line).
    public var startTime: String?
    /// "TCP" or "UDP": declared in JSON and `-V` text, otherwise inferred from the column headers.
    public var protocolName: String?
    /// `-P` as declared (JSON, `-V` text); nil when the output does not say — count `connections`.
    public var parallel: Int?
    public var reverse = false
    public var bidir = false
    /// `-O` seconds, when declared.
    public var omitSeconds: Int?
    /// `-t` seconds, when declared.
    public var duration: Int?
    /// The client's control connection, on the server side.
    public var acceptedFrom: Iperf3Endpoint?
    public var connections: [Iperf3Connection] = []
    /// Per-interval measurements, per stream and `[SUM]`, in output order.
    public var intervals: [Iperf3Interval] = []
    /// The end-of-test lines (each with a `side`), per stream and `[SUM]`.
    public var summary: [Iperf3Interval] = []
    public var error: String?
    /// iperf3 printed its end ("iperf Done.", the JSON `end`).
    public var finished = false
}

public struct Iperf3Endpoint: Equatable, Sendable {
    public var host: String
    public var port: Int

    /// `host:port`, `[v6]:port`: the form bpagent's `local`/`peer` labels use.
    public var address: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}

/// `[  5] local A port P connected to B port Q`: how a stream id joins the agent's streams.
public struct Iperf3Connection: Equatable, Sendable {
    public var stream: Int
    public var local: Iperf3Endpoint
    public var remote: Iperf3Endpoint
}

/// `--bidir` role tags: which way the stream carries data, seen from the client or the server.
public enum Iperf3Role: String, Equatable, Sendable {
    case txClient = "TX-C", rxClient = "RX-C", txServer = "TX-S", rxServer = "RX-S"
}

/// One measurement line (or JSON object) for a stream or the `[SUM]` of all streams.
public struct Iperf3Interval: Equatable, Sendable {
    /// Which end measured an end-of-test figure.
    public enum Side: Equatable, Sendable { case sender, receiver }

    /// The stream id iperf3 prints (its socket); nil for `[SUM]`.
    public var stream: Int?
    public var role: Iperf3Role?
    public var start: Double
    public var end: Double
    /// Exact from JSON; from text, the printed figure (three significant digits) in bytes.
    public var bytes: Int64
    public var bitsPerSecond: Double
    public var retransmits: Int?
    /// TCP congestion window, bytes.
    public var cwnd: Int64?
    public var jitterMs: Double?
    public var lostDatagrams: Int?
    public var datagrams: Int?
    public var outOfOrder: Int?
    /// Inside the `-O` warm-up, which iperf3 leaves out of its totals.
    public var omitted = false
    /// Set on `summary` entries; nil on intervals and on the combined `udp` summary of `--json`.
    public var side: Side?
    /// The `--timestamps` prefix of the line, as printed.
    public var timestamp: String?
}
