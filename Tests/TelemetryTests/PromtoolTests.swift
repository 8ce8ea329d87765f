import Foundation
import Testing
import Telemetry

/// The design promises that `promtool check metrics` prints nothing for `/metrics`: no
/// syntax errors and no lint warnings (naming, units, missing help).
@Suite struct PromtoolTests {
    static let promtool = "/usr/bin/promtool"

    @Test(arguments: [
        SampleSnapshot.twoStreams,
        SampleSnapshot.selfReported,
        SampleSnapshot.bumpedRegistry().snapshot(),
        SampleSnapshot.observed,
        MetricsSnapshot(agent: AgentSnapshot(startTimeMicros: 1, takenAtMicros: 2), streams: []),
    ])
    func checkMetricsPrintsNothing(snapshot: MetricsSnapshot) throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.promtool),
                     "\(Self.promtool) is missing; install it with `apt-get install -y prometheus`")
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("bptop-\(UUID().uuidString).prom")
        try Data(PrometheusTextWriter.render(snapshot)).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.promtool)
        process.arguments = ["check", "metrics"]
        process.standardInput = try FileHandle(forReadingFrom: file)
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let printed = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()

        #expect(process.terminationStatus == 0)
        #expect(String(decoding: printed, as: UTF8.self) == "")
    }
}
