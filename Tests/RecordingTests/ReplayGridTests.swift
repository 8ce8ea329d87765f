import Feeds
import Testing
import Telemetry
@testable import Dashboard
@testable import Recording

/// Replay is exact: at every recorded frame, the screen drawn from the replayed data equals,
/// cell for cell (characters, colours, attributes), the screen the live session drew from what
/// it ingested — scrapes parsed from their bodies and iperf3's output read line by line.
@Suite struct ReplayGridTests {
    static let width = 132
    static let height = 44

    static func screen(_ data: CollectedData, at now: Double) throws -> CellBuffer {
        let definition = try DashboardResolver.load("iperf3", executablePath: CommandLine.arguments[0])
        let model = ModelBuilder.build(definition: definition, store: data.store, sources: data.sources, ui: UIState(),
                                       now: now, iperf3: data.iperf3)
        return ScreenRenderer().render(model, width: width, height: height, symbols: .unicode)
    }

    /// The first line whose text differs, both ways (or a note that only styles differ).
    static func difference(_ a: CellBuffer, _ b: CellBuffer) -> String {
        let (x, y) = (TextBackend.render(a).split(separator: "\n"), TextBackend.render(b).split(separator: "\n"))
        guard let i = (0..<min(x.count, y.count)).first(where: { x[$0] != y[$0] }) else { return "styles differ" }
        return "line \(i):\n\(x[i])\n\(y[i])"
    }

    /// Records a live run of 12 scrapes and iperf3's `-P 2 --bidir` output; returns the live
    /// screens with their frame times.
    static func recordLiveRun(into file: TemporaryRecording) throws -> [(time: Double, screen: CellBuffer)] {
        let start = file.start(iperf3: "iperf3 -c 127.0.0.1 -P 2 --bidir")
        let writer = try RecordingWriter(path: file.path, start: start)
        var live = CollectedData(names: ["agent"], capacity: UIState.windowSteps.last!, iperf3: true)
        var lines = try AgentScrapes.iperf3Lines()[...]
        var screens: [(Double, CellBuffer)] = []
        for tick in 1...12 {
            let t = start.startTime + Double(tick) + 0.000_137 * Double(tick)
            let body = AgentScrapes.body(tick: tick)
            live.ingest(source: 0, body: body, at: t)
            writer.scrape(source: 0, exposition: PrometheusTextParser.parse(body), at: t)
            if tick == 6 {
                live.recordFailure(source: 0, at: t + 0.5, reason: "connect: Connection refused")
                writer.scrapeFailed(source: 0, message: "connect: Connection refused", at: t + 0.5)
            }
            // Six lines of iperf3 a second (one interval of two streams each way and the sums).
            for line in lines.prefix(7) {
                live.ingest(iperf3: .bytes(line), at: t + 0.2)
                writer.iperf3(.bytes(line), at: t + 0.2)
            }
            lines = lines.dropFirst(7)
            if tick == 12 {
                live.ingest(iperf3: .ended(.exited(0)), at: t + 0.25)
                writer.iperf3(.ended(.exited(0)), at: t + 0.25)
            }
            let frame = t + 0.3
            writer.frame(at: frame)
            screens.append((frame, try screen(live, at: frame)))
            writer.flush()
        }
        writer.finish(at: start.startTime + 13)
        return screens
    }

    @Test func everyReplayedFrameEqualsTheLiveScreen() throws {
        let file = TemporaryRecording()
        let live = try Self.recordLiveRun(into: file)
        let replay = try Replay(path: file.path, capacity: UIState.windowSteps.last!)
        for (i, (time, screen)) in live.enumerated() {
            replay.forward(until: time)
            #expect(replay.frames == i + 1)
            #expect(replay.time == time)
            let replayed = try Self.screen(replay.data, at: replay.time)
            let same = replayed == screen
            #expect(same, "frame \(i + 1): \(Self.difference(replayed, screen))")
        }
        // The end of the run: the summary panel, the agent's streams, the failed scrape's gap.
        let text = TextBackend.render(live.last!.screen)
        #expect(text.contains("SUM"))
        #expect(replay.atEnd)
        #expect(replay.problem == nil)
    }

    /// Going back (←, g) reads from the start again and lands on the same screens.
    @Test func seekingBackLandsOnTheSameScreens() throws {
        let file = TemporaryRecording()
        let live = try Self.recordLiveRun(into: file)
        let replay = try Replay(path: file.path, capacity: UIState.windowSteps.last!)
        replay.forward(until: .infinity)
        #expect(replay.frames == live.count)
        for i in [7, 2, 0] {
            try replay.seek(to: live[i].time + 0.5)
            #expect(replay.frames == i + 1)
            let replayed = try Self.screen(replay.data, at: replay.time)
            let same = replayed == live[i].screen
            #expect(same, "frame \(i + 1): \(Self.difference(replayed, live[i].screen))")
        }
        try replay.seek(to: 0)
        #expect(replay.frames == 1)
    }
}
