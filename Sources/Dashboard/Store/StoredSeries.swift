/// A series within one source: its sample name and the labels it is found by.
struct SeriesID: Hashable, Sendable {
    var metric: String
    /// Mostly the series' stored labels (`StoredSeries.labels`, then one array serves both:
    /// at 61,000 series a second array of labels per series was 10 MB). Where those would not
    /// tell two samples' own labels apart (an exporter's own `instance` label, which the
    /// source's name replaces; a federating source's series without one, which gets it),
    /// the sample's own labels sorted, as every id used to be.
    var labels: LabelSet
    /// Whether `labels` are the sample's own (the second case above).
    var sampleLabels: Bool
}

/// One series' recent values, slot-aligned with its source's scrape times.
///
/// 96 bytes a series besides its slots and labels (it was 136): the stamps, which few series
/// have, are kept out of line.
struct StoredSeries: Sendable {
    let id: SeriesID
    /// The series' labels plus `instance` (its source), sorted: what queries match and group
    /// by, built once when the series first appears rather than per query per frame.
    let labels: LabelSet
    /// nil marks a slot without a value: a failed scrape, or a scrape without this series.
    var values: SampleRing
    /// The source's slot number when the series last had a value, for eviction.
    var lastSeen: Int
    /// The newest slot number where the series had no value, a value lower than the slot
    /// before's, or one that is not a whole number (below 2⁵³): a window starting after it
    /// holds only present, whole, non-decreasing values, so its increase is its last value
    /// minus its first (exact for whole numbers) instead of a walk over every slot.
    var lastBreak: Int
    /// The newest slot number whose value differs from the slot before's (a gap counts as a
    /// value of its own): a window starting after it holds one value throughout.
    var lastChange: Int
    /// The newest value stored (NaN before the first and after a gap), for `lastBreak` and
    /// `lastChange`.
    var newest = Double.nan
    /// `stamps` and `lastStamp` in an array of at most one element: 8 bytes for a series
    /// without them instead of 56.
    private var stamped: [Stamps] = []

    private struct Stamps: Sendable {
        var ring: SampleRing?
        var last: Double?
    }

    /// A series first seen in the slot after `lastSeen`: that slot breaks and changes its run.
    init(id: SeriesID, labels: LabelSet, values: SampleRing, lastSeen: Int) {
        (self.id, self.labels, self.values, self.lastSeen) = (id, labels, values, lastSeen)
        (lastBreak, lastChange) = (lastSeen + 1, lastSeen + 1)
    }

    /// For a series whose samples carry their own timestamp (Prometheus' `/federate`, an
    /// exporter relaying another's samples): per slot, the timestamp in seconds of a sample that
    /// was a new observation, nil where the sample repeated one already stored (or was absent).
    /// Rates then divide by the time between observations, not between bptop's scrapes, which
    /// run on their own clock and would read a value that moves every 15 s as 0, 0, …, 15×.
    var stamps: SampleRing? { stamped.first?.ring }

    /// The newest timestamp stored in `stamps`.
    var lastStamp: Double? { stamped.first?.last }

    /// This slot's sample was taken at `stamp`: an observation when newer than the last one
    /// stored, else a repeat (nil in `stamps`). `absent` slots came before the first stamp.
    mutating func appendStamp(_ stamp: Double, capacity: Int, absent: Int) {
        if stamped.isEmpty { stamped = [Stamps()] }
        if stamped[0].ring == nil { stamped[0].ring = SampleRing(capacity: capacity, leadingGaps: absent) }
        let new = stamped[0].last.map { stamp > $0 } ?? true
        stamped[0].ring!.append(new ? stamp : nil)
        if new { stamped[0].last = stamp }
    }

    /// A slot without a stamp (a sample without one, or none), for a series that has had stamps.
    mutating func appendNoStamp() {
        if !stamped.isEmpty { stamped[0].ring?.append(nil) }
    }

    /// The series' second sample in one scrape: its stamp replaces the slot's.
    mutating func replaceLastStamp(_ stamp: Double) {
        if stamped.isEmpty { stamped = [Stamps()] }
        stamped[0].ring?.replaceLast(stamp)
        stamped[0].last = stamp
    }
}
