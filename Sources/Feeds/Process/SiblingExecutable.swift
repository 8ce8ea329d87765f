#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

public enum SiblingExecutable {
    /// `name` next to the running executable (as `swift build` and an install put bptop and
    /// bpagent), else the bare name for a PATH search.
    public static func path(_ name: String) -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        let own = n > 0 ? String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self) : CommandLine.arguments[0]
        guard let slash = own.lastIndex(of: "/") else { return name }
        let candidate = own[..<slash] + "/" + name
        return access(candidate, X_OK) == 0 ? candidate : name
    }
}
