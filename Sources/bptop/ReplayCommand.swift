import ArgumentParser
import Dashboard
import Recording
import Session
import Telemetry

struct ReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Show a recording in the live dashboard, moving through it in recorded time.",
        discussion: """
            Keys: those of the live dashboard, plus space pause/resume, ←/→ step one interval, < > speed \
            (×0.25 … ×64), g/G start/end. A file cut short or damaged is shown up to its last whole record, \
            and a line on standard error says so. With --threshold, each threshold prints ✓ or ✗ over the whole \
            recorded run when replay quits; any ✗ exits 99.
            """)

    @Argument(help: ArgumentHelp("The recording (bptop record, or --record).", valueName: "file"))
    var file: String

    @Flag(help: "Go on reading the file as it is written (a recording still running).")
    var follow = false

    @Option(help: ArgumentHelp("Dashboard: a name or a .json file. Default: the one recorded.", valueName: "name|path"))
    var dashboard: String?

    @OptionGroup var display: DisplayOptions
    @OptionGroup var gate: GateOptions

    func run() throws {
        _ = try gate.parsed()  // a bad expression is a usage error before the screen is taken
        let session: ReplaySession
        do {
            let start = try RecordingReader(path: file).start
            let definition = try DashboardResolver.load(dashboard ?? start.dashboard, executablePath: CommandLine.arguments[0])
            session = try ReplaySession(options: .init(path: file, definition: definition, follow: follow,
                                                      colors: display.colors, forceASCII: display.ascii))
        } catch let error as DefinitionError {
            throw ValidationError("\(error)")
        } catch {
            throw CommandFailure(error)
        }
        if let problem = session.run() { StandardError.write("bptop: warning: \(problem)\n") }
        try gate.check(recording: file)
    }
}
