import Glibc
import Testing
import Telemetry
@testable import Recording

/// A file cut anywhere (a recorder killed mid-write) or damaged anywhere reads up to its last
/// whole record and says so in one line; it never traps or hangs.
@Suite struct DamageTests {
    /// A small recording of five flushed batches, and its events.
    static func recording() throws -> (file: TemporaryRecording, events: Int) {
        let file = TemporaryRecording()
        let writer = try RecordingWriter(path: file.path, start: file.start())
        for tick in 1...5 {
            writer.scrape(source: 0, exposition: PrometheusTextParser.parse(AgentScrapes.body(tick: tick)), at: 1_764_680_000 + Double(tick))
            writer.frame(at: 1_764_680_000.01 + Double(tick))
            writer.flush()
        }
        writer.finish(at: 1_764_680_006)
        return (file, 10)
    }

    @Test func aFileCutAnywhereReadsUpToItsLastWholeRecord() throws {
        let (file, total) = try Self.recording()
        let whole = file.bytes
        let headerAndStart = try #require((1..<whole.count).first { cut in
            file.write(whole.prefix(cut))
            return (try? RecordingReader(path: file.path)) != nil
        })
        var previous = 0
        for cut in stride(from: headerAndStart, to: whole.count, by: 7) {
            file.write(whole.prefix(cut))
            let (events, reader) = try file.readAll()
            #expect(events.count >= previous && events.count <= total)
            previous = events.count
            if case .complete = reader.state {
                // Only the deflate stream's own last bytes are cut: the end record, and so every
                // record before it, was read whole (which cuts land here depends on the file's bytes).
                #expect(events.count == total)
                continue
            }
            #expect(reader.state == .open)
            #expect(reader.problem?.hasPrefix("\(file.path): ends") == true)
        }
        #expect(previous >= total - 2)
        file.write(whole)
        #expect(try file.readAll().events.count == total)
    }

    @Test func damageStopsReadingAndSaysWhere() throws {
        let (file, total) = try Self.recording()
        let whole = file.bytes
        for position in stride(from: whole.count / 3, to: whole.count, by: 13) {
            var damaged = whole
            damaged[position] ^= 0x5a
            file.write(damaged)
            guard let (events, reader) = try? file.readAll() else { continue }
            #expect(events.count <= total)
            if events.count < total {
                #expect(reader.problem != nil)
                #expect(reader.problem?.contains("\n") == false)
            }
        }
    }

    /// A file still being written: what is flushed can be read, and the reader goes on from there.
    @Test func aGrowingFileIsReadAsItGrows() throws {
        let file = TemporaryRecording()
        let writer = try RecordingWriter(path: file.path, start: file.start())
        let reader = try RecordingReader(path: file.path)
        #expect(reader.next() == nil)
        for tick in 1...3 {
            writer.scrape(source: 0, exposition: PrometheusTextParser.parse(AgentScrapes.body(tick: tick)), at: 1_764_680_000 + Double(tick))
            #expect(reader.next() == nil)  // not flushed yet
            writer.flush()
            guard case .scrape(0, let e, _)? = reader.next() else {
                Issue.record("no scrape after flush \(tick)")
                return
            }
            #expect(e == PrometheusTextParser.parse(AgentScrapes.body(tick: tick)))
            #expect(reader.next() == nil)
            #expect(reader.state == .open)
        }
        writer.finish(at: 1_764_680_004)
        #expect(reader.next() == nil)
        #expect(reader.state == .complete(endTime: 1_764_680_004))
    }
}
