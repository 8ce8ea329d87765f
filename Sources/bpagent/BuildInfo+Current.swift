import Telemetry

extension BuildInfo {
    /// This build: the release version and the git revision recorded by the BuildRevision plugin.
    static let current = BuildInfo(version: releaseVersion, revision: BuildRevision.revision)
}
