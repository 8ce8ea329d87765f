/// The figures an iperf3 column can show for one row: an iperf3 stream (or its `[SUM]`) and
/// the agent stream it was joined to. The names are the dashboard files' `field` values; what
/// each shows is `Iperf3RowFields` (beside the builders that draw them).
enum Iperf3Field: String, CaseIterable, Sendable {
    /// iperf3's stream id, `SUM` for a `[SUM]` row.
    case stream
    /// iperf3's `--bidir` role (`TX-C`, `RX-C`, …); none without `--bidir`.
    case role
    /// The agent's direction for the data: `c2s` or `s2c`.
    case dir
    /// `local → remote` as iperf3 printed them; none for a `[SUM]` row.
    case endpoints
    /// The rate of the stream's newest interval.
    case iperf3Now
    /// Bytes from iperf3's end-of-test lines (else its intervals); an estimate from its text output.
    case bytes
    /// Rates over the intervals that were not omitted (`-O`).
    case mean, min, max
    /// Retransmits from iperf3's end-of-test line; none while the test runs, and for UDP.
    case retransmits
    /// Retransmits from the end-of-test line, else the intervals' so far.
    case retransmitsSoFar
    /// UDP `lost/total` datagrams; none for TCP.
    case loss
    /// `loss` from the end-of-test line, else the receiver's intervals' so far.
    case lossSoFar
    /// UDP jitter from the receiver's end-of-test line.
    case jitter
    /// The agent stream that carried it (`3 c2s`), `unmatched`, or `–` without the agent's streams;
    /// a `[SUM]` row gives its direction when any of its streams were joined.
    case agentStream
    /// The agent's figures for the joined stream (a `[SUM]` row: its joined streams together);
    /// none for a row without one.
    case agentNow, agentBytes, bufferFull, bufferFullPerSecond, retries, retriesPerSecond, mostRetries, longestStall
    /// `bpagent observe`: the kernel's time the sender was limited by its send buffer / by the
    /// receiver's window, per second now and in all.
    case sndbufLimitedPerSecond, rwndLimitedPerSecond, sndbufLimited, rwndLimited
    /// What the agent's policy dropped, and what the kernel dropped from its full receive queue.
    case policyDrops, kernelDrops
}

/// The transport of an iperf3 test, as a column's `"proto"` names it.
enum Iperf3Protocol: String, CaseIterable, Sendable {
    case tcp, udp
}

/// One column of the iperf3 panel or of its text report, and how its figure is written.
struct Iperf3Column: Equatable, Sendable {
    var title: String
    var field: Iperf3Field
    /// Preferred width in cells; 0 in the text report, whose columns fit their widest cell.
    var width: Int
    /// Shown when the row has no `field` (`role` without `--bidir` → `dir`).
    var fallback: Iperf3Field?
    /// A number as a whole count rather than scaled (`1.1 GB`): what a pull request quotes. An
    /// estimate (iperf3's text output rounds bytes) stays scaled, after `~`: its digits are all it knows.
    var exact: Bool
    /// What a row without the figure shows; nil: `–` for a number, nothing for text.
    var blank: String?
    /// Put before a `[SUM]` row's text (`all ` makes `all c2s`).
    var sumPrefix: String
    /// Shown only when an agent's streams were scraped.
    var agentOnly: Bool
    /// Shown only for tests of this protocol (`tcp`, `udp`); nil: for every test. A UDP run
    /// has no retransmits and a TCP run no loss, and neither should cost the other its width.
    var proto: Iperf3Protocol? = nil
    /// In the text report: when its lines are wider than the terminal, columns with a drop order
    /// are left out, lowest first, until they fit; nil: always shown.
    var dropOrder: Int? = nil
}

/// The iperf3 panel's columns while the run goes on, once it is over, and in the text report
/// (`bptop report`, and what `bptop -- iperf3 …` prints when it quits).
struct Iperf3Columns: Equatable, Sendable {
    var live: [Iperf3Column]
    var summary: [Iperf3Column]
    var report: [Iperf3Column]
}
