#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Testing
@testable import Relay

/// Logging never waits for the reader of stderr: a pipe nobody reads fills, lines beyond the
/// queue are dropped and counted, and a note says so once the reader is back.
@Suite struct StderrQueueTests {
    @Test func aPipeNobodyReadsNeverBlocksTheWriter() throws {
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        defer { close(fds[0]); close(fds[1]) }
        let queue = StderrQueue(fd: fds[1], capacityBytes: 16 * 1024)
        let line = String(repeating: "x", count: 99) + "\n"
        // 2 MB of lines: far more than the pipe (64 KiB) and the queue hold. Returns at once.
        for _ in 0..<20_000 { queue.write(line) }
        #expect(queue.droppedLines > 0)
        print("DEBUG dropped", queue.droppedLines)
        #expect(!queue.flush(stallMillis: 100), "nobody reads: flush gives up")

        _ = fcntl(fds[0], F_SETFL, fcntl(fds[0], F_GETFL) | O_NONBLOCK)
        var text: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 65536)
        var deadline = 0
        queue.write("last\n")
        while deadline < 5000 {
            let n = read(fds[0], &buf, buf.count)
            if n > 0 { text += buf[0..<n] } else { usleep(2000); deadline += 1 }
            if text.count >= 5 && String(decoding: text.suffix(5), as: UTF8.self) == "last\n" { break }
        }
        let lines = String(decoding: text, as: UTF8.self).split(separator: "\n")
        let notes = lines.filter { $0.hasPrefix("bpagent: ") }
        #expect(notes.allSatisfy { $0.hasSuffix(" log lines dropped: stderr was not read fast enough") })
        let noted = notes.compactMap { UInt64($0.dropFirst("bpagent: ".count).prefix { $0 != " " }) }.reduce(0, +)
        #expect(noted == queue.droppedLines, "every dropped line is noted")
        #expect(lines.count - notes.count == 20_001 - Int(queue.droppedLines), "every line not dropped arrived, whole")
        #expect(lines.allSatisfy { $0.count == 99 || $0.hasPrefix("bpagent: ") || $0 == "last" })
        #expect(queue.flush())
    }
}
