import CZlib
import NIOCore

/// Gzip through the system's zlib, for `Content-Encoding: gzip` (what Prometheus asks for):
/// a `/metrics` of repetitive text shrinks about tenfold. Fed piece by piece as the body is
/// rendered (`ResponseBody`); each output piece is allocated at its exact size, so a small
/// export holds no large buffer per response.
final class GzipStream {
    /// zlib's fastest level: most of the size win at a fraction of the default level's time.
    static let level: Int32 = 1

    private var stream = z_stream()
    private let scratch: UnsafeMutableRawBufferPointer
    private var pieces: [ByteBuffer] = []

    init(pieceSize: Int) {
        guard bp_deflate_init_gzip(&stream, Self.level) == Z_OK else {
            // Only out of memory; deflateInit2's arguments are constant and valid.
            fatalError("zlib: deflateInit2 failed")
        }
        scratch = .allocate(byteCount: pieceSize, alignment: 16)
    }

    deinit {
        deflateEnd(&stream)
        scratch.deallocate()
    }

    /// Compresses `input` (at most 4 GiB: zlib counts input in 32 bits).
    func compress(_ input: UnsafeRawBufferPointer) {
        guard let start = input.baseAddress else { return }
        stream.next_in = UnsafeMutablePointer(mutating: start.assumingMemoryBound(to: Bytef.self))
        stream.avail_in = uInt(input.count)
        while stream.avail_in > 0 { deflateIntoScratch(Z_NO_FLUSH) }
    }

    /// The compressed body, gzip trailer included.
    func finish() -> [ByteBuffer] {
        while deflateIntoScratch(Z_FINISH) != Z_STREAM_END {}
        return pieces
    }

    /// One deflate call into the scratch buffer, whose output becomes a piece.
    @discardableResult
    private func deflateIntoScratch(_ flush: Int32) -> Int32 {
        stream.next_out = scratch.baseAddress!.assumingMemoryBound(to: Bytef.self)
        stream.avail_out = uInt(scratch.count)
        let status = deflate(&stream, flush)
        let produced = scratch.count - Int(stream.avail_out)
        if produced > 0 { pieces.append(ByteBuffer(bytes: UnsafeRawBufferPointer(rebasing: scratch[..<produced]))) }
        return status
    }
}
