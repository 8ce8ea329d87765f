import CZlib
import NIOCore

/// Gzip through the system's zlib, for `Content-Encoding: gzip` (what Prometheus asks for):
/// a `/metrics` of repetitive text shrinks about tenfold.
enum Gzip {
    /// zlib's fastest level: most of the size win at a fraction of the default level's time.
    static let level: Int32 = 1

    /// `input` compressed into pieces of at most `pieceSize` bytes, none allocated larger than
    /// zlib's bound for what is left (a small export must not hold a 1 MiB buffer per response).
    static func compress(_ input: UnsafeRawBufferPointer, pieceSize: Int) -> [ByteBuffer] {
        var stream = z_stream()
        guard bp_deflate_init_gzip(&stream, level) == Z_OK else {
            // Only out of memory; deflateInit2's arguments are constant and valid.
            fatalError("zlib: deflateInit2 failed")
        }
        defer { deflateEnd(&stream) }
        var pieces: [ByteBuffer] = []
        var remaining = input
        var finished = false
        var bound = Int(deflateBound(&stream, uLong(input.count)))
        while !finished {
            let size = min(pieceSize, max(bound, 64))
            var piece = ByteBufferAllocator().buffer(capacity: size)
            piece.writeWithUnsafeMutableBytes(minimumWritableBytes: size) { out in
                stream.next_out = out.baseAddress?.assumingMemoryBound(to: Bytef.self)
                stream.avail_out = uInt(out.count)
                while stream.avail_out > 0, !finished {
                    // avail_in is 32-bit: feed inputs over 4 GiB in slices.
                    if stream.avail_in == 0, !remaining.isEmpty {
                        let slice = UnsafeRawBufferPointer(rebasing: remaining.prefix(Int(UInt32.max)))
                        stream.next_in = UnsafeMutablePointer(mutating: slice.baseAddress?.assumingMemoryBound(to: Bytef.self))
                        stream.avail_in = uInt(slice.count)
                        remaining = UnsafeRawBufferPointer(rebasing: remaining.dropFirst(slice.count))
                    }
                    let flush = remaining.isEmpty ? Z_FINISH : Z_NO_FLUSH
                    finished = deflate(&stream, flush) == Z_STREAM_END
                }
                return out.count - Int(stream.avail_out)
            }
            bound -= piece.readableBytes
            pieces.append(piece)
        }
        return pieces
    }
}
