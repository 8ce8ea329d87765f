#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Telemetry

/// Finds the dashboard `--dashboard NAME|PATH` means.
public enum DashboardResolver {
    public static let defaultName = "backpressure"

    /// A PATH (anything with a `/` or ending in `.json`) is read as given. A NAME is looked up
    /// as `Dashboards/NAME.json` in the executable's directory and each parent (so a build
    /// inside the package finds the package's files, which may be edited), then among the
    /// built-in ones.
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
        return try builtIn(nameOrPath)
    }

    /// The bytes of the shipped `Dashboards/*.json`, compiled in by the build (SwiftPM's
    /// `.embedInCode`), so a NAME works when bptop is installed away from its package. A test
    /// checks that every file there has its entry.
    static let builtInFiles: [String: [UInt8]] = [
        "backpressure": PackageResources.backpressure_json,
        "iperf3": PackageResources.iperf3_json,
        "prometheus-generic": PackageResources.prometheus_generic_json,
        "observe": PackageResources.observe_json,
        "gvproxy": PackageResources.gvproxy_json,
        "vmnet-helper": PackageResources.vmnet_helper_json,
        "firecracker": PackageResources.firecracker_json,
        "cloud-hypervisor": PackageResources.cloud_hypervisor_json,
    ]

    /// The shipped dashboard NAME as compiled in.
    static func builtIn(_ name: String) throws(DefinitionError) -> DashboardDefinition {
        guard let bytes = builtInFiles[name] else {
            let names = builtInFiles.keys.sorted().joined(separator: ", ")
            throw DefinitionError(path: "", message: "no dashboard named \"\(name)\"; built-in: \(names), or give a path to a .json file")
        }
        return try DashboardDefinition(json: bytes, file: "built-in \(name)")
    }

    private static func loadFile(_ path: String) throws(DefinitionError) -> DashboardDefinition {
        guard let data = FileBytes.read(path, limit: 1 << 20) else {
            throw DefinitionError(file: path, path: "", message: "cannot read the file")
        }
        return try DashboardDefinition(json: data, file: path)
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
