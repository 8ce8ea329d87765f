import NIOCore
import Telemetry

/// Renders a response body straight into response buffers. A `/metrics` of 10,000 streams is
/// 40 MB of text: rendered whole and then copied into the response, it would be written to
/// memory twice and read once, and held twice. Instead the writer spills every `pieceSize`
/// bytes, while they are still in the CPU's cache, into a response buffer of their own (or
/// into zlib), so the text is written to memory once and never held whole.
enum ResponseBody {
    static let pieceSize = 256 << 10

    /// The body `render` writes, in pieces, gzipped when asked; and its size before compression.
    static func render(gzip: Bool = false, _ render: (inout ByteWriter) -> Void) -> (pieces: [ByteBuffer], bytes: Int) {
        let compressor = gzip ? GzipStream(pieceSize: pieceSize) : nil
        var pieces: [ByteBuffer] = []
        var writer = ByteWriter(pieceSize: pieceSize) { piece in
            if let compressor { compressor.compress(piece) } else { pieces.append(ByteBuffer(bytes: piece)) }
        }
        render(&writer)
        writer.flush()
        return (compressor?.finish() ?? pieces, writer.written)
    }
}
