#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization
import Telemetry

/// Reads iperf3's output on its own thread and hands every chunk to `deliver` as it arrives.
///
/// A pipe (standard input or the child's output) is read until it closes; the child is then
/// reaped and its status delivered. A followed file is read from its start and then watched
/// like `tail -F`: growth is read, a truncation (iperf3 started again with the same
/// `--logfile`) restarts from offset 0, and a replaced file is reopened. Waiting costs no CPU:
/// the thread sleeps in poll(2) on the input and a wake pipe for `stop()`.
public final class Iperf3Reader: Sendable {
    public enum Event: Sendable {
        case bytes([UInt8])
        /// The followed file shrank: what follows is a new output from its first byte.
        case truncated
        /// The followed file does not exist (yet); reading starts when it appears.
        case waitingForFile
        /// A pipe closed; for a child, how it ended.
        case ended(ExitStatus?)
        /// Reading failed for good (a one-line reason).
        case failed(String)
    }

    private let input: Iperf3Input
    private let child: ChildProcess?
    private let stopped = Atomic<Bool>(false)
    private let wakePipe: WakePipe
    private let deliver: @Sendable (Event) -> Void

    /// Starts the child for `.command` (with `--forceflush`), so a bad command fails here.
    public init(input: Iperf3Input, deliver: @escaping @Sendable (Event) -> Void) throws(SpawnError) {
        self.input = input
        self.deliver = deliver
        guard let wakePipe = WakePipe() else { throw SpawnError(program: "bptop", code: EMFILE) }
        self.wakePipe = wakePipe
        if case .command(let arguments) = input {
            child = try ChildProcess.spawn(Iperf3Input.liveArguments(arguments), output: .pipe)
        } else {
            child = nil
        }
    }

    /// The arguments the child was started with (with `--forceflush` where added).
    public var childArguments: [String]? { child?.arguments }

    public func start() {
        DetachedThread.start { [self] in run() }
    }

    /// Asks a child still running to stop (SIGTERM): iperf3 prints its summary and exits, and
    /// the reader delivers that output and `.ended` as usual. Other inputs are simply stopped.
    public func interrupt() {
        guard let child else { return stop() }
        kill(child.pid, SIGTERM)
    }

    /// Stops reading; a child still running is killed (after a grace period) and reaped.
    public func stop() {
        stopped.store(true, ordering: .relaxed)
        wakePipe.wake()
        child?.terminate()
    }

    private var isStopped: Bool { stopped.load(ordering: .relaxed) }

    private func run() {
        switch input {
        case .standardInput:
            readPipe(0)
            deliver(.ended(nil))
        case .command:
            guard let child, let fd = child.outputFD else { return }
            readPipe(fd)
            close(fd)
            if !isStopped { deliver(.ended(child.wait())) }
        case .follow(let path):
            follow(path)
        }
    }

    /// Reads until end of file, or until stopped.
    private func readPipe(_ fd: Int32) {
        var buffer = [UInt8](repeating: 0, count: 65536)
        while !isStopped {
            guard waitReadable(fd, timeoutMillis: -1) else { continue }
            switch systemCall({ buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) } }) {
            case .done(0): return
            case .done(let n): deliver(.bytes(Array(buffer[0..<n])))
            case .wouldBlock: continue
            case .failed(let code):
                deliver(.failed("reading iperf3 output: \(String(cString: strerror(code)))"))
                return
            }
        }
    }

    private func follow(_ path: String) {
        var followed = FollowedFile(path: path)
        var announcedWaiting = false
        var buffer = [UInt8](repeating: 0, count: 65536)
        while !isStopped {
            switch followed.read(into: &buffer) {
            case .bytes(let n):
                announcedWaiting = false
                deliver(.bytes(Array(buffer[0..<n])))
                continue
            case .truncated:
                deliver(.truncated)
                continue
            case .missing:
                if !announcedWaiting { deliver(.waitingForFile) }
                announcedWaiting = true
            case .failed(let code):
                deliver(.failed("cannot read \(path): \(String(cString: strerror(code)))"))
                return
            case .atEnd:
                break
            }
            _ = waitReadable(wakePipe.readFD, timeoutMillis: FollowedFile.pollMillis)
        }
    }

    /// Sleeps until `fd` (or the wake pipe) is readable; false when woken to stop or timed out.
    private func waitReadable(_ fd: Int32, timeoutMillis: Int32) -> Bool {
        var fds = [pollfd(fd: fd, events: Int16(POLLIN), revents: 0),
                   pollfd(fd: wakePipe.readFD, events: Int16(POLLIN), revents: 0)]
        let n = poll(&fds, fd == wakePipe.readFD ? 1 : 2, timeoutMillis)
        return n > 0 && fds[0].revents != 0 && !isStopped
    }
}
