import CZlib

/// One raw deflate stream through the system's zlib for the whole file. `flush` ends what was
/// given so far on a byte boundary (Z_SYNC_FLUSH), so a reader can inflate everything written
/// up to that point — while the file grows, or after the recorder was killed — and the window
/// of earlier scrapes keeps compressing later ones.
final class Deflater {
    /// zlib's default: recordings are small and written once a second; its ratio matters more
    /// than its CPU here (Scripts/bench-record measures both).
    static let level: Int32 = 6

    private var stream = z_stream()
    private var out = [UInt8](repeating: 0, count: 65536)

    init() {
        guard bp_deflate_init_raw(&stream, Self.level) == Z_OK else {
            // Only out of memory; the arguments are constant and valid.
            fatalError("zlib: deflateInit2 failed")
        }
    }

    deinit { deflateEnd(&stream) }

    /// Compresses `input` and returns every byte deflate has ready, ended on a byte boundary
    /// (`finish`: the stream's last block).
    func compress(_ input: [UInt8], finish: Bool = false) -> [UInt8] {
        var result: [UInt8] = []
        input.withUnsafeBytes { inBytes in
            stream.next_in = UnsafeMutablePointer(mutating: inBytes.baseAddress?.assumingMemoryBound(to: Bytef.self))
            stream.avail_in = uInt(inBytes.count)
            var done = false
            while !done {
                let produced = out.withUnsafeMutableBytes { outBytes -> Int in
                    stream.next_out = outBytes.baseAddress?.assumingMemoryBound(to: Bytef.self)
                    stream.avail_out = uInt(outBytes.count)
                    let rc = deflate(&stream, finish ? Z_FINISH : Z_SYNC_FLUSH)
                    done = finish ? rc == Z_STREAM_END : stream.avail_out > 0
                    return outBytes.count - Int(stream.avail_out)
                }
                result.append(contentsOf: out[0..<produced])
            }
        }
        stream.next_in = nil
        return result
    }
}
