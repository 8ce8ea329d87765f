/// The kinds of record a recording holds, in its version 1 (README "Recording format"). A
/// reader meeting a kind it does not know stops there and says so: kinds are only ever added
/// with a new version.
enum RecordKind: UInt8 {
    /// The first record: JSON describing the run (`RecordingStart`).
    case start = 1
    /// A metric family (name, type, help) that later scrapes refer to by number.
    case family = 2
    /// A series (sample name and labels, in the order the exporter wrote them) that later
    /// scrapes refer to by number.
    case series = 3
    /// One scrape of one source: its time, families, and every sample as a series number and
    /// the change from that series' previous value.
    case scrape = 4
    /// A scrape that failed, with the reason.
    case scrapeFailed = 5
    /// Output of the iperf3 run (or a change of its input), as bptop's reader delivered it.
    case iperf3 = 6
    /// The live screen was redrawn at this time: where replay shows the same frame.
    case frame = 7
    /// The recorder closed the file: nothing follows.
    case end = 8
    /// Every family and series number so far is forgotten (numbering starts again at 0): what
    /// keeps a recorder's tables, and a reader's, bounded when streams come and go for days.
    case forget = 9
}

/// The file's first bytes: a magic string and the format version, uncompressed, so `file`
/// and a reader of another version can tell at once what they have.
enum RecordingFile {
    static let magic = Array("BPTOPREC".utf8)
    static let version: UInt8 = 1
    static var header: [UInt8] { magic + [version] }
    /// A record longer than this is damage, not data (a 100,000-series scrape is a few MB).
    static let maxRecordBytes = 256 << 20
    /// Series numbered before the writer starts numbering again (`RecordKind.forget`).
    static let maxNumberedSeries = 250_000
}
