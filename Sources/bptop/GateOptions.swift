import ArgumentParser
import Dashboard
import Session
import Telemetry

/// `--threshold EXPR` (repeatable), shared by the live view, `report` and `compare`.
struct GateOptions: ParsableArguments {
    @Option(name: .customLong("threshold"),
            help: ArgumentHelp("A check at the end, k6-style: METRIC[{dir=c2s}] OP VALUE[UNIT], e.g. 'stall_max<10ms', 'p99(stall)<2ms', 'drops==0' (repeatable). Any failing → exit 99.",
                               valueName: "expr"))
    var expressions: [String] = []

    /// The expressions parsed; a bad one is a one-line usage error naming its column (exit 64).
    /// `regression(…)` needs two runs, so only `compare` allows it.
    func parsed(allowRegression: Bool = false) throws -> [ThresholdExpression] {
        try expressions.map { text in
            let expression: ThresholdExpression
            do { expression = try ThresholdParser.parse(text) } catch { throw UsageFailure("\(error)") }
            if expression.regression && !allowRegression {
                throw UsageFailure("invalid threshold '\(text)' at column 1: regression() compares two runs: use it with bptop compare")
            }
            return expression
        }
    }
}

extension GateOptions {
    /// The thresholds over a whole recording (`bptop record` once the file is closed, `bptop
    /// replay` when it quits): the run read back through `RunInput`, as `compare` reads it.
    func check(recording path: String) throws {
        let thresholds = try parsed()
        guard !thresholds.isEmpty else { return }
        let run: MeasuredRun
        do { run = try RunInput.load(recording: path).loaded.run } catch { throw CommandFailure(error.message) }
        try enforce(thresholds.map { ThresholdVerdict($0, run: run) })
    }
}

/// Prints the ✓/✗ line of every threshold and fails with k6's exit status 99 when one failed.
/// After JSON the lines go to standard error, so standard output stays one JSON document.
func enforce(_ verdicts: [ThresholdVerdict], toStandardError: Bool = false) throws {
    guard !verdicts.isEmpty else { return }
    let text = GateReport.lines(verdicts).joined(separator: "\n") + "\n"
    if toStandardError { StandardError.write(text) } else { print(text, terminator: "") }
    if verdicts.contains(where: { !$0.passed }) { throw ExitCode(GateReport.failedExitCode) }
}
