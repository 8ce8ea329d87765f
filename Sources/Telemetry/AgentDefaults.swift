#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Defaults the agent and its readers must agree on.
public enum AgentDefaults {
    /// `$XDG_RUNTIME_DIR/bpagent.sock`, else `/tmp/bpagent.sock`: where the agent serves
    /// metrics when told nothing, and where bptop looks when given no source.
    public static var socketPath: String {
        if let dir = getenv("XDG_RUNTIME_DIR").map({ String(cString: $0) }), !dir.isEmpty {
            return dir + "/bpagent.sock"
        }
        return "/tmp/bpagent.sock"
    }
}
