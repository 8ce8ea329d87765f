import Dashboard
import Feeds

/// `bptop report --source …`: one scrape of every agent (it keeps closed streams for a while,
/// so a finished run can still be joined).
public enum AgentScrape {
    /// The scraped store; throws the first source that failed, as a one-line message.
    public static func store(of sources: [SourceSpec]) throws(ScrapeFailure) -> TimeSeriesStore {
        var data = CollectedData(sources: sources, capacity: 2)
        if let failure = ScrapeRound.scrapeAll(sources, into: &data, timeoutMillis: 5000).first {
            throw ScrapeFailure(message: failure.message)
        }
        return data.store
    }
}

/// A scrape that failed, for the command to print.
public struct ScrapeFailure: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
