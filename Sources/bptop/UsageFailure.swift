/// Bad usage found after parsing (a threshold expression): `main` prints it as one
/// `bptop: error: …` line and exits 64, like a bad option but without the usage text, so the
/// line that names the mistake is the only one.
struct UsageFailure: Error {
    let message: String
    init(_ message: String) { self.message = message }
}
