/// Which build is running (`bpagent_build_info{version,revision}`), so a fleet can be told apart.
public struct BuildInfo: Equatable, Sendable {
    public var version: String
    /// The release both executables report (`--version`, `bpagent_build_info`).
    public static let releaseVersion = "0.1.0"
    /// The git commit the binary was built from (with `-dirty` for uncommitted changes), or
    /// `unknown` when built outside a git checkout.
    public var revision: String

    public init(version: String, revision: String) {
        self.version = version
        self.revision = revision
    }
}
