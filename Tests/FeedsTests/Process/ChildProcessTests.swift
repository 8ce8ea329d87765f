import Foundation
import Testing
@testable import Feeds

@Suite struct ChildProcessTests {
    @Test func outputAndExitStatusOfAChild() throws {
        let child = try ChildProcess.spawn(["sh", "-c", "echo out; echo err >&2; read x; echo \"stdin:$x\"; exit 3"], output: .pipe)
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 256)
        while case let n = read(child.outputFD!, &chunk, chunk.count), n > 0 { bytes += chunk[0..<n] }
        close(child.outputFD!)
        // Standard error shares the pipe; standard input is /dev/null, so `read` sees end of file.
        #expect(String(decoding: bytes, as: UTF8.self) == "out\nerr\nstdin:\n")
        #expect(child.wait() == .exited(3))
        #expect(ExitStatus.exited(3).code == 3)
    }

    @Test func terminateStopsAChildWithSIGTERM() throws {
        let child = try ChildProcess.spawn(["sleep", "100"], output: .null)
        #expect(child.poll() == nil)
        let status = child.terminate(graceMillis: 2000)
        #expect(status == .signaled(SIGTERM))
        #expect(status.code == 128 + SIGTERM)
    }

    /// Once reaped (iperf3's reader waits for its child), terminating is a no-op that keeps the
    /// status: the pid may already belong to another process, which must never get a signal.
    @Test func aReapedChildIsNeverSignalled() throws {
        let child = try ChildProcess.spawn(["sh", "-c", "exit 4"], output: .null)
        #expect(child.wait() == .exited(4))
        #expect(child.poll() == .exited(4))
        #expect(child.terminate(graceMillis: 2000) == .exited(4))
        #expect(child.wait() == .exited(4))
    }

    @Test func aMissingProgramIsAOneLineError() {
        #expect(throws: SpawnError.self) { try ChildProcess.spawn(["no-such-program-bptop"], output: .null) }
        do {
            _ = try ChildProcess.spawn(["no-such-program-bptop"], output: .null)
        } catch {
            #expect(error.description == "cannot run no-such-program-bptop: not found in PATH")
        }
    }

    @Test func forceflushIsAddedForLiveTextOnly() {
        #expect(Iperf3Input.liveArguments(["iperf3", "-c", "h"]) == ["iperf3", "-c", "h", "--forceflush"])
        #expect(Iperf3Input.liveArguments(["iperf3", "-c", "h", "--forceflush"]) == ["iperf3", "-c", "h", "--forceflush"])
        #expect(Iperf3Input.liveArguments(["iperf3", "-c", "h", "-J"]) == ["iperf3", "-c", "h", "-J"])
        #expect(Iperf3Input.liveArguments(["iperf3", "-c", "h", "--json-stream"]) == ["iperf3", "-c", "h", "--json-stream", "--forceflush"])
        #expect(Iperf3Input(option: "-") == .standardInput)
        #expect(Iperf3Input(option: "run.log") == .follow(path: "run.log"))
    }
}
