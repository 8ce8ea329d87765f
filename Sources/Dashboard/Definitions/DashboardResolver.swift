#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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
        var dir = directory(of: absolute(executablePath))
        while dir != "/" && !dir.isEmpty {
            let candidate = dir + "/Dashboards/\(nameOrPath).json"
            if access(candidate, F_OK) == 0 { return try loadFile(candidate) }
            dir = directory(of: dir)
        }
        guard let embedded = EmbeddedDashboards.all[nameOrPath] else {
            let names = EmbeddedDashboards.all.keys.sorted().joined(separator: ", ")
            throw DefinitionError(path: "", message: "no dashboard named \"\(nameOrPath)\"; built-in: \(names), or give a path to a .json file")
        }
        return try DashboardDefinition(json: Array(embedded.utf8), file: "built-in \(nameOrPath)")
    }

    private static func loadFile(_ path: String) throws(DefinitionError) -> DashboardDefinition {
        guard let data = readFile(path) else {
            throw DefinitionError(file: path, path: "", message: "cannot read the file")
        }
        return try DashboardDefinition(json: data, file: path)
    }

    /// The whole file, or nil when it cannot be opened or read (dashboards are small: 1 MiB at most).
    private static func readFile(_ path: String) -> [UInt8]? {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = read(fd, &chunk, chunk.count)
            if n == 0 { return out }
            guard n > 0, out.count + n <= 1 << 20 else { return nil }
            out.append(contentsOf: chunk[0..<n])
        }
    }

    private static func absolute(_ path: String) -> String {
        if path.hasPrefix("/") { return path }
        guard let cwd = getcwd(nil, 0) else { return path }
        defer { free(cwd) }
        return String(cString: cwd) + "/" + path
    }

    /// `/a/b/c` → `/a/b`; `/a` → `/`.
    private static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "" }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }
}
