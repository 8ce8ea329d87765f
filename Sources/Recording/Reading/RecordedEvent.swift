import Feeds
import Telemetry

/// One thing that happened during a recorded run, at the wall-clock time it happened: the same
/// inputs the live dashboard took, in the order it took them.
public enum RecordedEvent: Sendable {
    /// Source `source` (its number in `RecordingStart.sources`) answered with this scrape.
    case scrape(source: Int, exposition: ParsedExposition, time: Double)
    /// A scrape of `source` failed.
    case scrapeFailed(source: Int, message: String, time: Double)
    /// iperf3 output (or a change of its input) arrived.
    case iperf3(Iperf3Reader.Event, time: Double)
    /// The live screen was drawn, showing `time` as now.
    case frame(time: Double)

    public var time: Double {
        switch self {
        case .scrape(_, _, let t), .scrapeFailed(_, _, let t), .iperf3(_, let t), .frame(let t): t
        }
    }
}
