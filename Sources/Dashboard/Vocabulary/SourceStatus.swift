/// How a source is doing: written by ingest as scrapes arrive or fail, shown in the header.
public struct SourceStatus: Equatable, Sendable {
    public enum Health: Equatable, Sendable {
        case ok
        /// No successful scrape since this wall-clock time (seconds since the epoch).
        case disconnected(since: Double)
        case waiting
    }
    public var name: String
    public var health: Health
    /// Seconds since the agent started, when the source exports a start time.
    public var uptimeSeconds: Double?
    /// Lines of the last scrape that could not be parsed.
    public var skippedLines: Int
    /// Series of the last scrape not stored: the store's cap per source was reached.
    public var droppedSeries = 0
    /// Why the newest scrape failed (`connect: Connection refused`, `HTTP 404`), shown after
    /// "disconnected": a source that is down must say why, or the user guesses.
    public var failure: String?

    public init(name: String, health: Health, uptimeSeconds: Double? = nil, skippedLines: Int = 0) {
        self.name = name
        self.health = health
        self.uptimeSeconds = uptimeSeconds
        self.skippedLines = skippedLines
    }
}
