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

    /// Scrapes `sources` in order into `data`; a source that fails gets a gap slot. `first`:
    /// bptop's first read, where a Prometheus source gives the observations before its newest
    /// (so the next read has a rate at once; see `PrometheusHistory`).
    @discardableResult
    static func scrapeAll(_ sources: [SourceSpec], into data: inout CollectedData, timeoutMillis: Int32,
                          first: Bool = false, tap: RecordingTap = RecordingTap(writer: nil)) -> [Failure] {
        var failures: [Failure] = []
        for (i, source) in sources.enumerated() {
            let time = Double(Clocks.wallMicros()) / 1e6
            let body: [UInt8]
            do {
                body = first && source.federates
                    ? try PrometheusHistory.previousObservations(of: source, timeoutMillis: timeoutMillis)
                    : try source.fetch(timeoutMillis: timeoutMillis)
            } catch {
                tap.failure(&data, source: i, message: "\(error)", at: time)
                failures.append(Failure(index: i, message: "\(source): \(error)"))
                continue
            }
            if let refused = tap.scrape(&data, source: i, body: body, at: time) {
                failures.append(Failure(index: i, message: "\(source): \(refused)"))
            }
        }
        return failures
    }
}

extension CollectedData {
    /// Empty data for these scrape sources (and an iperf3 run when `iperf3`).
    init(sources: [SourceSpec], capacity: Int, iperf3: Bool = false) {
        let names = CollectedData.uniqueNames(sources.map(\.shortName))
        self.init(names: names, capacity: capacity, iperf3: iperf3,
                  federating: Set(zip(names, sources).filter { $0.1.federates }.map(\.0)))
    }
}
