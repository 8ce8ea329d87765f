import Foundation
import Testing
@testable import Feeds

/// `--iperf3 FILE`: tail -F semantics on a real file.
@Suite struct FollowedFileTests {
    private func text(_ file: inout FollowedFile) -> (FollowedFile.ReadResult, String) {
        var buffer = [UInt8](repeating: 0, count: 64)
        let result = file.read(into: &buffer)
        if case .bytes(let n) = result { return (result, String(decoding: buffer[0..<n], as: UTF8.self)) }
        return (result, "")
    }

    @Test func waitsGrowsTruncatesAndFollowsAReplacement() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("bptop-follow-\(getpid())-\(UInt64.random(in: 0...UInt64.max))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("iperf3.log").path
        var file = FollowedFile(path: path)
        #expect(text(&file).0 == .missing)

        try "one\n".write(toFile: path, atomically: false, encoding: .utf8)
        #expect(text(&file) == (.bytes(4), "one\n"))
        #expect(text(&file).0 == .atEnd)

        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("two\n".utf8))
        #expect(text(&file) == (.bytes(4), "two\n"))

        try handle.truncate(atOffset: 0)
        try handle.close()
        #expect(text(&file).0 == .truncated)
        try "new\n".write(toFile: path, atomically: false, encoding: .utf8)
        #expect(text(&file) == (.bytes(4), "new\n"))

        // Replaced by rename (log rotation): the rest of the old file, then the new one from 0.
        let other = dir.appendingPathComponent("next").path
        try "rotated\n".write(toFile: other, atomically: false, encoding: .utf8)
        rename(other, path)
        #expect(text(&file).0 == .truncated)
        #expect(text(&file) == (.bytes(8), "rotated\n"))
    }
}
