import Synchronization
import Telemetry

/// The server's counters, written on its event loop and read by any scrape.
final class ExporterStatistics: Sendable {
    private let open = Atomic<UInt64>(0)
    private let closed: InlineArray<4, Atomic<UInt64>> = InlineArray { _ in Atomic<UInt64>(0) }
    private let abandoned = Atomic<UInt64>(0)
    private let responses: InlineArray<6, Atomic<UInt64>> = InlineArray { _ in Atomic<UInt64>(0) }
    private let renderMicros = Atomic<UInt64>(0)
    private let lastMetricsBytes = Atomic<UInt64>(0)

    func connectionOpened() { open.wrappingAdd(1, ordering: .relaxed) }
    func connectionEnded() { open.wrappingSubtract(1, ordering: .relaxed) }
    func closed(_ reason: ConnectionCloseReason) { closed[reason.rawValue].wrappingAdd(1, ordering: .relaxed) }
    func abandonedRequest() { abandoned.wrappingAdd(1, ordering: .relaxed) }

    func rendered(_ format: ResponseFormat, gzip: Bool, micros: UInt64, bytes: Int) {
        responses[2 * format.rawValue + (gzip ? 1 : 0)].wrappingAdd(1, ordering: .relaxed)
        renderMicros.wrappingAdd(micros, ordering: .relaxed)
        if format != .json { lastMetricsBytes.store(UInt64(bytes), ordering: .relaxed) }
    }

    func snapshot() -> ExporterSnapshot {
        ExporterSnapshot(
            connectionsOpen: open.load(ordering: .relaxed),
            connectionsClosed: ConnectionCloseReason.allCases.map { closed[$0.rawValue].load(ordering: .relaxed) },
            abandonedRequests: abandoned.load(ordering: .relaxed),
            responses: (0..<6).map { responses[$0].load(ordering: .relaxed) },
            renderMicros: renderMicros.load(ordering: .relaxed),
            lastMetricsBytes: lastMetricsBytes.load(ordering: .relaxed))
    }
}
