import ArgumentParser
import Dashboard
import Telemetry
import Session
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

struct PlotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plot",
        abstract: "Draw a run as a picture for a pull request: throughput per direction, buffer-full events, backpressure.",
        discussion: """
            INPUT is an iperf3 output (text, --json or --json-stream); --source or --agent-file adds the agent's figures \
            (one scrape: totals in the title). -o out.svg writes SVG; out.png renders it with librsvg and cairo \
            (when they are missing the SVG is written next to it and a line says so).
            """)

    @Argument(help: ArgumentHelp("The run's iperf3 output.", valueName: "input"))
    var input: String

    @Option(name: .shortAndLong, help: ArgumentHelp("The picture to write: .svg or .png.", valueName: "file"))
    var output: String

    @Option(name: .customLong("source"), help: ArgumentHelp("An agent to scrape once for its figures (repeatable).", valueName: "spec"))
    var sources: [String] = []

    @Option(name: .customLong("agent-file"), help: ArgumentHelp("A saved scrape of the agent (repeatable).", valueName: "file"))
    var agentFiles: [String] = []

    @Option(help: ArgumentHelp("Picture width in pixels (600 to 4000).", valueName: "pixels"))
    var width = 1200

    @Option(help: ArgumentHelp("Also draw the N busiest streams: topN (e.g. top8).", valueName: "topN"))
    var streams: String?

    @Option(help: ArgumentHelp("Draw this dashboard's charts (a name or a .json file) over a recording, instead of the run's throughput and backpressure.",
                               valueName: "name|path"))
    var dashboard: String?

    func validate() throws {
        guard (600...4000).contains(width) else { throw ValidationError("invalid --width \(width): expected 600 to 4000 pixels") }
        _ = try streamCount()
        _ = try PictureFile(path: output)
    }

    private func streamCount() throws -> Int {
        guard let streams else { return 0 }
        guard streams.hasPrefix("top"), let n = Int(streams.dropFirst(3)), (1...64).contains(n) else {
            throw ValidationError("invalid --streams \"\(streams)\": expected top1 to top64, e.g. top8")
        }
        return n
    }

    func run() throws {
        if let dashboard {
            guard RunInput.isRecording(input) else {
                throw UsageFailure("--dashboard draws a recording's charts (bptop record, --record); \(input) is not one")
            }
            let definition: DashboardDefinition
            do { definition = try DashboardResolver.load(dashboard, executablePath: CommandLine.arguments[0]) } catch {
                throw UsageFailure("\(error)")
            }
            let drawn: (title: String, charts: [(title: String, chart: ChartModel)], problem: String?)
            do { drawn = try RunInput.charts(recording: input, definition: definition) } catch { throw CommandFailure(error.message) }
            if let problem = drawn.problem { StandardError.write("bptop: warning: \(problem)\n") }
            try PictureFile(path: output).write(DashboardPlot.picture(title: drawn.title, charts: drawn.charts, width: width))
            return
        }
        let specs = try sourceSpecs(sources)
        let loaded: RunInput.Loaded
        do {
            if RunInput.isRecording(input) {
                let read = try RunInput.load(recording: input)
                if let problem = read.problem { StandardError.write("bptop: warning: \(problem)\n") }
                loaded = read.loaded
            } else {
                loaded = try RunInput.load(iperf3: input, sources: specs, agentFiles: agentFiles)
            }
        } catch {
            throw CommandFailure(error.message)
        }
        try PictureFile(path: output).write(RunPlot.picture([(nil, loaded.run)], options: .init(width: width, streams: try streamCount())))
    }
}

/// Where a picture goes: `.svg` written as is, `.png` rendered from the SVG (librsvg + cairo).
/// Without the libraries the SVG goes next to the PNG's name and one line says so.
struct PictureFile {
    let path: String
    let png: Bool

    init(path: String) throws {
        self.path = path
        let lower = path.lowercased()
        guard lower.hasSuffix(".svg") || lower.hasSuffix(".png") else {
            throw ValidationError("invalid -o \"\(path)\": expected a file ending in .svg or .png")
        }
        png = lower.hasSuffix(".png")
    }

    func write(_ picture: RunPlot.Picture) throws {
        guard png else { return try save(picture.svg, to: path) }
        do {
            try PNGRasterizer.write(svg: picture.svg, width: picture.width, height: picture.height, to: path)
        } catch {
            guard error.libraryMissing else { throw CommandFailure(error.message) }
            let fallback = String(path.dropLast(4)) + ".svg"
            try save(picture.svg, to: fallback)
            StandardError.write("bptop: warning: \(error.message); wrote \(fallback) instead\n")
        }
    }

    private func save(_ text: String, to path: String) throws {
        guard let file = fopen(path, "w") else { throw CommandFailure("cannot write \(path): \(String(cString: strerror(errno)))") }
        let bytes = Array(text.utf8)
        let written = fwrite(bytes, 1, bytes.count, file)
        let closed = fclose(file)
        guard written == bytes.count, closed == 0 else { throw CommandFailure("cannot write \(path): \(String(cString: strerror(errno)))") }
    }
}
