import Foundation

/// Finds the dashboard `--dashboard NAME|PATH` means.
public enum DashboardResolver {
    public static let defaultName = "backpressure"

    /// A PATH (anything with a `/` or ending in `.json`) is read as given. A NAME is looked up
    /// as `Dashboards/NAME.json` in the executable's directory and each parent (so a build
    /// inside the package finds the package's files, which may be edited), then among the
    /// built-in copies.
    public static func load(_ nameOrPath: String = defaultName, executablePath: String) throws(DefinitionError) -> DashboardDefinition {
        if nameOrPath.contains("/") || nameOrPath.hasSuffix(".json") {
            return try loadFile(nameOrPath)
        }
        var dir = URL(fileURLWithPath: executablePath).deletingLastPathComponent()
        while dir.path != "/" {
            let candidate = dir.appendingPathComponent("Dashboards/\(nameOrPath).json").path
            if FileManager.default.fileExists(atPath: candidate) { return try loadFile(candidate) }
            dir.deleteLastPathComponent()
        }
        guard let embedded = EmbeddedDashboards.all[nameOrPath] else {
            let names = EmbeddedDashboards.all.keys.sorted().joined(separator: ", ")
            throw DefinitionError(path: "", message: "no dashboard named \"\(nameOrPath)\"; built-in: \(names), or give a path to a .json file")
        }
        return try DashboardDefinition(json: Array(embedded.utf8), file: "built-in \(nameOrPath)")
    }

    private static func loadFile(_ path: String) throws(DefinitionError) -> DashboardDefinition {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DefinitionError(file: path, path: "", message: "cannot read the file")
        }
        return try DashboardDefinition(json: Array(data), file: path)
    }
}
