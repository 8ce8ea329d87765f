#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Telemetry

/// Complete lines another process writes, read a little at every scrape without blocking:
/// a log file followed like `tail -F` (vmnet-helper's stderr redirected), a FIFO (Firecracker's
/// `--metrics-path`), or standard input (`-`). A line longer than `maxLine` is dropped and counted.
struct LineFeed {
    static let maxLine = 1 << 20

    private enum Input {
        case file(FollowedFile)
        /// A FIFO or a pipe, non-blocking; -1 until opened.
        case stream(path: String?, fd: Int32)
    }

    private var input: Input
    private var pending: [UInt8] = []
    private var chunk = [UInt8](repeating: 0, count: 65536)
    private(set) var droppedLines = 0
    private var dropping = false

    /// `-` is standard input; a FIFO is read as a stream, anything else followed as a file.
    init(path: String) {
        if path == "-" {
            _ = fcntl(0, F_SETFL, fcntl(0, F_GETFL) | O_NONBLOCK)
            input = .stream(path: nil, fd: 0)
            return
        }
        var st = stat()
        if stat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFIFO {
            input = .stream(path: path, fd: -1)
        } else {
            input = .file(FollowedFile(path: path))
        }
    }

    /// The lines completed since the last call; throws when the input is missing or failed.
    mutating func readLines() throws(ScrapeError) -> [[UInt8]] {
        var lines: [[UInt8]] = []
        while true {
            let n = try readChunk()
            guard n > 0 else { break }
            split(chunk[0..<n], into: &lines)
        }
        return lines
    }

    private mutating func readChunk() throws(ScrapeError) -> Int {
        switch input {
        case .file(var file):
            defer { input = .file(file) }
            switch file.read(into: &chunk) {
            case .bytes(let n): return n
            case .atEnd: return 0
            case .truncated:
                pending.removeAll()
                return 0
            case .missing: throw ScrapeError("\(file.path): no such file")
            case .failed(let code): throw ScrapeError(errno: code, file.path)
            }
        case .stream(let path, var fd):
            if fd < 0, let path {
                // O_NONBLOCK: opening a FIFO for reading must not wait for a writer.
                fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
                guard fd >= 0 else { throw ScrapeError(errno: errno, path) }
                input = .stream(path: path, fd: fd)
            }
            switch systemCall({ chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) } }) {
            case .done(let n): return n
            case .wouldBlock: return 0
            case .failed(let code): throw ScrapeError(errno: code, path ?? "standard input")
            }
        }
    }

    private mutating func split(_ bytes: ArraySlice<UInt8>, into lines: inout [[UInt8]]) {
        var start = bytes.startIndex
        while let newline = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) {
            if dropping {
                dropping = false
            } else {
                lines.append(pending + bytes[start..<newline])
            }
            pending.removeAll(keepingCapacity: true)
            start = newline + 1
        }
        guard !dropping else { return }
        pending += bytes[start...]
        if pending.count > Self.maxLine {
            pending.removeAll()
            dropping = true
            droppedLines += 1
        }
    }
}
