import CZlib

/// Reads the raw deflate stream `Deflater` writes, a piece at a time as the file is read.
final class Inflater {
    enum Outcome {
        case more
        /// The stream's last block was read: nothing may follow.
        case ended
        /// The bytes are not deflate data (zlib's message).
        case damaged(String)
    }

    private var stream = z_stream()
    private var out = [UInt8](repeating: 0, count: 65536)
    private(set) var ended = false

    init() {
        guard bp_inflate_init_raw(&stream) == Z_OK else { fatalError("zlib: inflateInit2 failed") }
    }

    deinit { inflateEnd(&stream) }

    /// Inflates all of `input`, appending what it decodes to `output`.
    func inflate(_ input: ArraySlice<UInt8>, into output: inout [UInt8]) -> Outcome {
        guard !ended else { return input.isEmpty ? .ended : .damaged("data after the end of the compressed stream") }
        return input.withUnsafeBytes { inBytes -> Outcome in
            stream.next_in = UnsafeMutablePointer(mutating: inBytes.baseAddress?.assumingMemoryBound(to: Bytef.self))
            stream.avail_in = uInt(inBytes.count)
            defer { stream.next_in = nil }
            while true {
                var rc: Int32 = Z_OK
                let produced = out.withUnsafeMutableBytes { outBytes -> Int in
                    stream.next_out = outBytes.baseAddress?.assumingMemoryBound(to: Bytef.self)
                    stream.avail_out = uInt(outBytes.count)
                    rc = CZlib.inflate(&stream, Z_NO_FLUSH)
                    return outBytes.count - Int(stream.avail_out)
                }
                output.append(contentsOf: out[0..<produced])
                switch rc {
                case Z_STREAM_END:
                    ended = true
                    return stream.avail_in == 0 ? .ended : .damaged("data after the end of the compressed stream")
                case Z_OK:
                    if stream.avail_in == 0 && stream.avail_out > 0 { return .more }
                case Z_BUF_ERROR:
                    return .more
                default:
                    return .damaged(stream.msg.map { String(cString: $0) } ?? "zlib error \(rc)")
                }
            }
        }
    }
}
