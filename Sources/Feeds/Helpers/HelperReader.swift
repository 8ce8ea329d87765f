import Synchronization
import Telemetry

/// Reads a network helper's own stats as a bptop source and turns them into Prometheus text,
/// so they reach the store, the dashboards and `--once` like any exporter's scrape.
///
/// gvproxy and cloud-hypervisor answer HTTP on a unix socket (read at each scrape); vmnet-helper
/// and Firecracker write lines (read as they come, between scrapes nothing is lost). Their
/// state — the followed file, Firecracker's running totals — lives here, shared by every copy
/// of the `SourceSpec` and locked by whichever thread scrapes.
public final class HelperReader: Sendable {
    public enum Kind: String, Sendable, CaseIterable {
        case gvproxy
        case vmnetHelper = "vmnet-helper"
        case firecracker
        case cloudHypervisor = "cloud-hypervisor"
    }

    public let kind: Kind

    private struct LineState: Sendable {
        var feed: LineFeed
        var vmnet = VmnetHelperStats()
        var firecracker = FirecrackerMetrics()
        var unreadable = 0
    }

    private let lines: Mutex<LineState?>

    init(kind: Kind, path: String?) {
        self.kind = kind
        lines = Mutex(path.map { LineState(feed: LineFeed(path: $0)) })
    }

    /// The HTTP path asked of a socket helper.
    var requestPath: String { kind == .gvproxy ? "/stats" : "/api/v1/vm.counters" }

    /// A helper's JSON over HTTP: cloud-hypervisor says `application/json`, gvproxy lets Go's
    /// net/http sniff it (`text/plain; charset=utf-8`).
    private func json(_ source: SourceSpec, timeoutMillis: Int32) throws(ScrapeError) -> [UInt8] {
        try ScrapeClient.fetch(source, path: source.path, accept: "application/json",
                               mediaTypes: ["application/json", "text/plain"], timeoutMillis: timeoutMillis)
    }

    func fetch(_ source: SourceSpec, timeoutMillis: Int32) throws(ScrapeError) -> [UInt8] {
        switch kind {
        case .gvproxy: return try GvproxyStats.exposition(json(source, timeoutMillis: timeoutMillis))
        case .cloudHypervisor: return try CloudHypervisorCounters.exposition(json(source, timeoutMillis: timeoutMillis))
        case .vmnetHelper, .firecracker:
            let result = lines.withLock { state -> Result<[UInt8], ScrapeError> in
                guard var s = state else { return .failure(ScrapeError("no input")) }
                defer { state = s }
                do throws(ScrapeError) {
                    for line in try s.feed.readLines() {
                        let read = kind == .vmnetHelper ? s.vmnet.apply(line) : s.firecracker.apply(line)
                        if !read { s.unreadable += 1 }
                    }
                } catch {
                    return .failure(error)
                }
                var body = kind == .vmnetHelper ? s.vmnet.exposition : s.firecracker.exposition
                body += Array("""
                    # HELP bptop_helper_unreadable_lines_total Helper lines bptop could not read (not JSON, or over 1 MiB).
                    # TYPE bptop_helper_unreadable_lines_total counter
                    bptop_helper_unreadable_lines_total \(s.unreadable + s.feed.droppedLines)

                    """.utf8)
                return .success(body)
            }
            return try result.get()
        }
    }
}
