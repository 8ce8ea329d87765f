#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization
import Telemetry

/// A process bptop starts and owns: `bptop -- iperf3 …` and the servers of `bptop demo`.
///
/// Spawned with posix_spawnp (no fork of a multi-threaded process), its standard input from
/// /dev/null so it never competes with the dashboard for keys, every signal at its default
/// and none blocked (bptop ignores SIGTERM and friends to handle them itself; a child must not
/// inherit that, or `terminate()` could not stop it). The owner must `wait()` for it
/// (directly or through `terminate`) so no zombie is left behind.
public final class ChildProcess: Sendable {
    /// Where the child's standard output and standard error go.
    public enum Output: Sendable {
        /// Both into one pipe whose read end is `outputFD`.
        case pipe
        /// Both appended to this file (created 0600).
        case file(String)
        /// Discarded.
        case null
    }

    public let pid: pid_t
    /// How the child ended, once `wait()` or `poll()` reaped it.
    private let ended = Mutex<ExitStatus?>(nil)
    /// The read end of the output pipe (`.pipe` only); the reader closes it.
    public let outputFD: Int32?
    public let arguments: [String]

    private init(pid: pid_t, outputFD: Int32?, arguments: [String]) {
        self.pid = pid
        self.outputFD = outputFD
        self.arguments = arguments
    }

    /// Starts `arguments[0]` (searched in PATH) with the rest as its arguments.
    public static func spawn(_ arguments: [String], output: Output) throws(SpawnError) -> ChildProcess {
        guard let program = arguments.first, !program.isEmpty else { throw SpawnError(program: "", code: EINVAL) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        var readEnd: Int32?
        var writeEnd: Int32 = -1
        switch output {
        case .pipe:
            var fds: [Int32] = [0, 0]
            guard pipe(&fds) == 0 else { throw SpawnError(program: program, code: errno) }
            _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
            _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
            readEnd = fds[0]
            writeEnd = fds[1]
            posix_spawn_file_actions_adddup2(&actions, fds[1], 1)
            posix_spawn_file_actions_adddup2(&actions, fds[1], 2)
        case .file(let path):
            posix_spawn_file_actions_addopen(&actions, 1, path, O_WRONLY | O_CREAT | O_APPEND, 0o600)
            posix_spawn_file_actions_adddup2(&actions, 1, 2)
        case .null:
            posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
            posix_spawn_file_actions_adddup2(&actions, 1, 2)
        }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var all = sigset_t(), none = sigset_t()
        sigfillset(&all)
        sigemptyset(&none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        let argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid = pid_t()
        let rc = posix_spawnp(&pid, program, &actions, &attributes, argv, environ)
        if writeEnd >= 0 { close(writeEnd) }
        guard rc == 0 else {
            if let readEnd { close(readEnd) }
            throw SpawnError(program: program, code: rc)
        }
        return ChildProcess(pid: pid, outputFD: readEnd, arguments: arguments)
    }

    /// Blocks until the child ends and reaps it.
    public func wait() -> ExitStatus {
        if let status = ended.withLock({ $0 }) { return status }
        var status: Int32 = 0
        guard case .done = systemCall({ waitpid(pid, &status, 0) }) else { return ended.withLock { $0 } ?? .exited(127) }
        return record(ExitStatus(waitStatus: status))
    }

    /// The status if the child has ended (and reaps it), nil while it runs.
    public func poll() -> ExitStatus? {
        if let status = ended.withLock({ $0 }) { return status }
        var status: Int32 = 0
        let reaped = waitpid(pid, &status, WNOHANG)
        if reaped == pid { return record(ExitStatus(waitStatus: status)) }
        // Reaped by `wait()` on another thread just now: it has ended, and its pid is no longer ours.
        if reaped < 0 && errno == ECHILD { return ended.withLock { $0 } ?? .exited(127) }
        return nil
    }

    private func record(_ status: ExitStatus) -> ExitStatus {
        ended.withLock { $0 = status }
        return status
    }

    /// Asks the child to stop (SIGTERM, which iperf3 answers by printing its summary), kills it
    /// after `graceMillis`, and reaps it. A child already reaped is never signalled: its pid may
    /// belong to another process by now.
    @discardableResult
    public func terminate(graceMillis: Int = 2000) -> ExitStatus {
        if let status = poll() { return status }
        kill(pid, SIGTERM)
        for _ in 0..<max(graceMillis / 10, 1) {
            if let status = poll() { return status }
            usleep(10_000)
        }
        kill(pid, SIGKILL)
        return wait()
    }
}

/// How a child ended, as a shell reports it.
public enum ExitStatus: Equatable, Sendable, CustomStringConvertible {
    case exited(Int32)
    case signaled(Int32)

    init(waitStatus s: Int32) {
        // WIFEXITED / WEXITSTATUS / WTERMSIG are macros Swift does not import.
        let signal = s & 0x7f
        self = signal == 0 ? .exited((s >> 8) & 0xff) : .signaled(signal)
    }

    /// The shell's `$?`: the exit code, or 128 + the signal.
    public var code: Int32 {
        switch self {
        case .exited(let c): c
        case .signaled(let s): 128 + s
        }
    }

    public var succeeded: Bool { self == .exited(0) }

    public var description: String {
        switch self {
        case .exited(let c): "exit status \(c)"
        case .signaled(let s): "killed by signal \(s)"
        }
    }
}

public struct SpawnError: Error, CustomStringConvertible, Sendable {
    public let program: String
    public let code: Int32
    public var description: String {
        code == ENOENT ? "cannot run \(program): not found in PATH" : "cannot run \(program): \(String(cString: strerror(code)))"
    }
}
