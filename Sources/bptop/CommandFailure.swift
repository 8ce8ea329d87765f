/// A failure after the arguments were read: `main` prints it as one `bptop: error: …` line and
/// exits 1 (64 stays argument-parser's, for bad usage).
struct CommandFailure: Error {
    let message: String
    init(_ message: String) { self.message = message }
    init(_ error: any Error) { self.message = "\(error)" }
}
