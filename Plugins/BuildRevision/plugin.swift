import Foundation
import PackagePlugin

/// Writes the git revision the target is built from into a generated `BuildRevision.swift`,
/// before every build, so `--version` and `bpagent_build_info` name the commit — from a fresh
/// clone too, with nothing to configure. The file is rewritten only when the revision changed,
/// so an unchanged tree recompiles nothing. Outside a git checkout the revision is `unknown`.
@main
struct BuildRevisionPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let output = context.pluginWorkDirectoryURL.appending(path: "generated")
        return [.prebuildCommand(
            displayName: "Recording the git revision of \(target.name)",
            executable: URL(filePath: "/bin/sh"),
            arguments: ["-c", Self.script, "build-revision", context.package.directoryURL.path, output.path],
            outputFilesDirectory: output)]
    }

    /// `$1` the package directory, `$2` the output directory. A tree with uncommitted changes
    /// to tracked files gets `-dirty`.
    static let script = #"""
        set -eu
        mkdir -p "$2"
        revision=$(git -C "$1" rev-parse --short=12 HEAD 2>/dev/null) || revision=unknown
        if [ "$revision" != unknown ] && ! git -C "$1" diff --quiet HEAD -- 2>/dev/null; then
            revision="$revision-dirty"
        fi
        printf '// Generated before each build by the BuildRevision plugin.\nenum BuildRevision {\n    static let revision = "%s"\n}\n' \
            "$revision" > "$2/BuildRevision.swift.new"
        if cmp -s "$2/BuildRevision.swift.new" "$2/BuildRevision.swift"; then
            rm "$2/BuildRevision.swift.new"
        else
            mv "$2/BuildRevision.swift.new" "$2/BuildRevision.swift"
        fi
        """#
}
