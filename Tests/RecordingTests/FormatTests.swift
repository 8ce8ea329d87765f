import Feeds
import Glibc
import Testing
import Telemetry
@testable import Recording

/// What goes into a recording comes out the same: samples in order with exact values
/// (unchanged, whole-number steps, fractions, NaN, -0, infinities, exporter timestamps),
/// families, skipped lines, failures, iperf3 output, frames and times.
@Suite struct FormatTests {
    static func exposition(_ values: [Double], stamped: Bool = false) -> ParsedExposition {
        var e = ParsedExposition()
        e.families["a_total"] = MetricFamily(name: "a_total", type: .counter, help: "A \"count\"\nof things.")
        e.families["b"] = MetricFamily(name: "b", type: .gauge)
        e.samples = values.enumerated().map { i, v in
            PrometheusSample(name: i % 2 == 0 ? "a_total" : "b", labels: [.init("z", "\(i)"), .init("a", "é\"\\\n")], value: v,
                             timestampMillis: stamped && i == 1 ? 1_764_680_000_123 : nil)
        }
        e.skippedLines = 3
        e.skippedExamples = [.init(line: 7, reason: "bad value")]
        return e
    }

    @Test func everythingRecordedReadsBackExactly() throws {
        let file = TemporaryRecording()
        let first = Self.exposition([0, 1, 2.5, .nan, -0.0, 1e300])
        let second = Self.exposition([0, 5, 2.75, .nan, .infinity, -7], stamped: true)
        // Fewer samples, in another order, and a series first seen now.
        var third = Self.exposition([9_007_199_254_740_991, 3])
        third.samples.reverse()
        third.samples.append(PrometheusSample(name: "c", value: 1))
        let writer = try RecordingWriter(path: file.path, start: file.start(iperf3: "iperf3 -c x"))
        writer.scrape(source: 0, exposition: first, at: 1_764_680_001.000_123)
        writer.iperf3(.bytes(Array("[  5] local 127.0.0.1 port 1\n".utf8)), at: 1_764_680_001.5)
        writer.frame(at: 1_764_680_001.6)
        writer.flush()
        writer.scrape(source: 0, exposition: second, at: 1_764_680_002.000_001)
        writer.scrapeFailed(source: 0, message: "connect: refused", at: 1_764_680_002.9)
        writer.scrape(source: 0, exposition: third, at: 1_764_680_003 + 1e-9)  // not whole microseconds
        writer.iperf3(.ended(.exited(3)), at: 1_764_680_001.7)  // times may go back
        writer.iperf3(.failed("gone"), at: 1_764_680_004)
        writer.finish(at: 1_764_680_005)
        #expect(writer.failure == nil)

        let (events, reader) = try file.readAll()
        #expect(reader.start == file.start(iperf3: "iperf3 -c x"))
        #expect(reader.state == .complete(endTime: 1_764_680_005))
        #expect(reader.problem == nil)
        #expect(events.count == 8)
        guard events.count == 8 else { return }
        guard case .scrape(0, let e1, 1_764_680_001.000_123) = events[0], case .iperf3(.bytes(let b), 1_764_680_001.5) = events[1],
              case .frame(1_764_680_001.6) = events[2], case .scrape(0, let e2, 1_764_680_002.000_001) = events[3],
              case .scrapeFailed(0, "connect: refused", 1_764_680_002.9) = events[4], case .scrape(0, let e3, let t3) = events[5],
              case .iperf3(.ended(.exited(3)?), 1_764_680_001.7) = events[6], case .iperf3(.failed("gone"), 1_764_680_004) = events[7]
        else {
            Issue.record("unexpected events: \(events)")
            return
        }
        #expect(e1 == first)
        #expect(e1.samples[4].value.sign == .minus)
        #expect(e2 == second)
        #expect(e3 == third)
        #expect(t3 == 1_764_680_003 + 1e-9)
        #expect(b == Array("[  5] local 127.0.0.1 port 1\n".utf8))
    }

    /// Unchanged counters cost next to nothing: 1,000 series over 60 scrapes where a tenth
    /// change take well under a byte per sample.
    @Test func unchangedSamplesCompressToAFractionOfAByte() throws {
        let file = TemporaryRecording()
        let writer = try RecordingWriter(path: file.path, start: file.start())
        for tick in 0..<60 {
            var e = ParsedExposition()
            e.samples = (0..<1000).map { i in
                PrometheusSample(name: "bpagent_bytes_total", labels: [.init("stream", "\(i)"), .init("dir", "c2s")],
                                 value: Double(i % 10 == 0 ? tick * 1_000_003 : i))
            }
            writer.scrape(source: 0, exposition: e, at: 1_764_680_000 + Double(tick))
            writer.flush()
        }
        writer.finish(at: 1_764_680_061)
        let perSample = Double(writer.bytesWritten) / Double(writer.samplesRecorded)
        #expect(writer.samplesRecorded == 60_000)
        #expect(perSample < 1, "\(perSample) bytes per sample")
    }

    /// Streams that come and go: numbering starts again (a `forget` record) before the tables
    /// pass their bound, and every scrape still reads back exactly.
    @Test func churningSeriesAreForgottenAndStillReadBack() throws {
        let file = TemporaryRecording()
        let writer = try RecordingWriter(path: file.path, start: file.start())
        writer.encoder.maxNumberedSeries = 10
        let scrapes = (0..<8).map { tick in
            var e = ParsedExposition()
            e.families["bytes_total"] = MetricFamily(name: "bytes_total", type: .counter)
            e.samples = (0..<4).map { i in
                PrometheusSample(name: "bytes_total", labels: [.init("stream", "\(tick + i)")], value: Double(tick * 100 + i))
            }
            return e
        }
        for (tick, e) in scrapes.enumerated() {
            writer.scrape(source: 0, exposition: e, at: 1_764_680_000 + Double(tick))
        }
        writer.finish(at: 1_764_680_009)
        let (events, reader) = try file.readAll()
        #expect(reader.state == .complete(endTime: 1_764_680_009))
        let read = events.compactMap { event -> ParsedExposition? in
            if case .scrape(_, let e, _) = event { return e }
            return nil
        }
        #expect(read == scrapes)
    }

    @Test func notARecordingIsOneLine() throws {
        let file = TemporaryRecording()
        file.write(Array("# HELP x y\n".utf8))
        #expect(throws: RecordingError.self) { try RecordingReader(path: file.path) }
        do { _ = try RecordingReader(path: file.path) } catch { #expect(error.message == "\(file.path): not a bptop recording") }
        file.write(Array("BPTOPREC".utf8) + [9])
        do { _ = try RecordingReader(path: file.path) } catch {
            #expect(error.message == "\(file.path): recording format version 9, this bptop reads version 1")
        }
    }
}
