import Dashboard
import Feeds
import Telemetry

/// One scrape of every source, each stamped with the wall time it was taken: how the live
/// view's final figures, `--once` and `bptop report` read their agents. (The live view's
/// steady scrapes come from the `Collector` thread instead, one interval apart.)
enum ScrapeRound {
    /// A source that did not answer, and why (`unix:/tmp/a.sock: connect: No such file…`).
    struct Failure: Error, CustomStringConvertible {
        let index: Int
        let message: String
        var description: String { message }
    }

    /// Scrapes `sources` in order into `data`; a source that fails gets a gap slot.
    @discardableResult
    static func scrapeAll(_ sources: [SourceSpec], into data: inout CollectedData, timeoutMillis: Int32) -> [Failure] {
        var failures: [Failure] = []
        for (i, source) in sources.enumerated() {
            let time = Double(Clocks.wallMicros()) / 1e6
            do {
                data.ingest(source: i, body: try source.fetch(timeoutMillis: timeoutMillis), at: time)
            } catch {
                data.recordFailure(source: i, at: time)
                failures.append(Failure(index: i, message: "\(source): \(error)"))
            }
        }
        return failures
    }
}

extension CollectedData {
    /// Empty data for these scrape sources (and an iperf3 run when `iperf3`).
    init(sources: [SourceSpec], capacity: Int, iperf3: Bool = false) {
        self.init(names: CollectedData.uniqueNames(sources.map(\.shortName)), capacity: capacity, iperf3: iperf3)
    }
}
