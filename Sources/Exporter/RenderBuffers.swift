import NIOCore
import Synchronization
import Telemetry

/// Output buffers kept between scrapes. A `/metrics` of 10,000 streams is 50 MB of text;
/// rendering it into fresh memory each time spends more on page faults than on writing, so
/// each render borrows a writer that already has the pages, then copies the text into the
/// response in 1 MiB pieces: allocations that size come from malloc's heap, whose pages stay
/// mapped from one scrape to the next, where one 50 MB buffer would be a fresh mmap each time.
/// At most two writers are kept (two scrapers at once), and none larger than 256 MB.
final class RenderBuffers: Sendable {
    private final class Slot: @unchecked Sendable {
        // Only touched by the one render that took the slot out of the pool.
        var writer = ByteWriter()
    }

    private let pool = Mutex<[Slot]>([])
    private static let kept = 2
    private static let largestKept = 256 << 20

    static let pieceSize = 1 << 20

    /// Runs `render` on a reused writer and returns what it wrote as response body pieces,
    /// gzipped straight from the writer when asked.
    func render(gzip: Bool = false, _ render: (inout ByteWriter) -> Void) -> [ByteBuffer] {
        let slot = pool.withLock { $0.popLast() } ?? Slot()
        render(&slot.writer)
        let body = slot.writer.withUnsafeBytes { all in
            if gzip { return Gzip.compress(all, pieceSize: Self.pieceSize) }
            return stride(from: 0, to: all.count, by: Self.pieceSize).map { start in
                ByteBuffer(bytes: UnsafeRawBufferPointer(rebasing: all[start..<min(start + Self.pieceSize, all.count)]))
            }
        }
        if slot.writer.allocated <= Self.largestKept {
            pool.withLock { if $0.count < Self.kept { $0.append(slot) } }
        }
        return body
    }
}
