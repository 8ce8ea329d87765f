#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch
import Synchronization
import Telemetry

/// The agent's stderr, written from a background queue so that no relay thread ever waits for
/// whoever reads it. A stderr nobody reads (a pipe whose reader is gone or asleep) fills after
/// 64 KiB; a relay that wrote its log lines itself would then block in write(2) and relay
/// nothing. Here the relay only appends to a bounded queue; when the queue is full the line is
/// dropped and counted (`bpagent_log_lines_dropped_total`), and once stderr moves again a line
/// says how many were lost.
public final class StderrQueue: Sendable {
    public static let shared = StderrQueue()

    private struct State {
        var pending: [String] = []
        var pendingBytes = 0
        var draining = false
        var droppedSinceNotice: UInt64 = 0
    }

    /// Bytes queued at most (one more batch may be in write(2) at the same time).
    let capacityBytes: Int
    private let state = Mutex(State())
    private let dropped = Atomic<UInt64>(0)
    /// Bytes written so far, so `flush` can tell a slow reader from one that is gone.
    private let written = Atomic<UInt64>(0)
    private let writer = DispatchQueue(label: "bpagent.stderr")
    private let fd: Int32

    init(fd: Int32 = 2, capacityBytes: Int = 128 * 1024) {
        self.fd = fd
        self.capacityBytes = capacityBytes
    }

    /// Lines dropped because the queue was full.
    public var droppedLines: UInt64 { dropped.load(ordering: .relaxed) }

    /// Queues `text` (one or more whole lines); drops it when the queue is full, unless `always`
    /// (for the final summary and fatal errors, which are few and must not be lost).
    public func write(_ text: String, always: Bool = false) {
        let start = state.withLock { s -> Bool in
            guard always || s.pendingBytes + text.utf8.count <= capacityBytes else {
                s.droppedSinceNotice += 1
                dropped.wrappingAdd(1, ordering: .relaxed)
                return false
            }
            s.pending.append(text)
            s.pendingBytes += text.utf8.count
            defer { s.draining = true }
            return !s.draining
        }
        if start { writer.async { self.drain() } }
    }

    /// Waits until everything queued has been written; gives up when stderr has taken nothing
    /// for `stallMillis` (nobody reads it) and returns false.
    @discardableResult
    public func flush(stallMillis: Int = 2000) -> Bool {
        var last = written.load(ordering: .relaxed)
        var idle = 0
        while state.withLock({ $0.draining }) {
            usleep(10_000)
            let now = written.load(ordering: .relaxed)
            if now != last { (last, idle) = (now, 0) } else { idle += 10 }
            if idle >= stallMillis { return false }
        }
        return true
    }

    private func drain() {
        while let batch = takeBatch() {
            var bytes = Array(batch.utf8)
            var offset = 0
            while offset < bytes.count {
                // 64 KiB at a time, so `flush` sees a slow reader make progress.
                let n = bytes.withUnsafeMutableBytes { buf in
                    systemWrite(fd, buf.baseAddress! + offset, min(buf.count - offset, 65536))
                }
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else { break }
                offset += n
                written.wrappingAdd(UInt64(n), ordering: .relaxed)
            }
        }
    }

    private func systemWrite(_ fd: Int32, _ p: UnsafeMutableRawPointer, _ n: Int) -> Int {
        #if canImport(Glibc)
        Glibc.write(fd, p, n)
        #else
        Darwin.write(fd, p, n)
        #endif
    }

    /// Everything queued, preceded by a note when lines were dropped; nil (and no longer
    /// draining) when the queue is empty.
    private func takeBatch() -> String? {
        state.withLock { s in
            guard !s.pending.isEmpty else {
                s.draining = false
                return nil
            }
            var batch = s.pending.joined()
            if s.droppedSinceNotice > 0 {
                batch = "bpagent: \(s.droppedSinceNotice) log lines dropped: stderr was not read fast enough\n" + batch
                s.droppedSinceNotice = 0
            }
            s.pending.removeAll(keepingCapacity: true)
            s.pendingBytes = 0
            return batch
        }
    }
}
