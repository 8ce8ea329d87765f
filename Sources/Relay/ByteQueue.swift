#if canImport(Glibc)
import Glibc
import CSystemShims
#elseif canImport(Darwin)
import Darwin
#endif

/// Where one direction keeps bytes between reading them from the source and writing them to
/// the destination. Both calls return what the system call returned (bytes, 0 for end of
/// stream, or -1 with errno set), so the pump treats every implementation alike.
protocol ByteQueue: AnyObject {
    var count: Int { get }
    var hasRoom: Bool { get }
    /// Reads from `fd` into the free space.
    func fill(from fd: Int32) -> Int
    /// Writes queued bytes to `fd` and forgets the ones written.
    func drain(to fd: Int32) -> Int
    /// Forgets everything queued (the policy dropped it).
    func discardAll()
}

/// A user-space buffer: read(2) in, send(2) out. Works everywhere.
final class UserBuffer: ByteQueue {
    private let storage: UnsafeMutableRawBufferPointer
    private var head = 0
    private var tail = 0

    init(capacity: Int) {
        storage = .allocate(byteCount: capacity, alignment: 16)
    }

    deinit { storage.deallocate() }

    var count: Int { tail - head }
    var hasRoom: Bool { tail < storage.count }

    func fill(from fd: Int32) -> Int {
        let n = read(fd, storage.baseAddress! + tail, storage.count - tail)
        if n > 0 { tail += n }
        return n
    }

    func drain(to fd: Int32) -> Int {
        #if os(Linux)
        let n = send(fd, storage.baseAddress! + head, tail - head, Int32(MSG_NOSIGNAL))
        #else
        let n = send(fd, storage.baseAddress! + head, tail - head, 0)
        #endif
        if n > 0 { consume(n) }
        return n
    }

    func discardAll() { consume(count) }

    private func consume(_ n: Int) {
        head += n
        if head == tail { head = 0; tail = 0 }
    }
}

#if os(Linux)
/// A pipe between splice(2) calls: the bytes never enter user space, which saves two copies
/// per byte on Linux.
final class SplicePipe: ByteQueue {
    private let readEnd: Int32
    private let writeEnd: Int32
    private let capacity: Int
    private(set) var count = 0

    /// Nil when the system refuses a pipe (descriptor limit).
    init?(capacity wanted: Int) {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { return nil }
        readEnd = fds[0]
        writeEnd = fds[1]
        let granted = bp_set_pipe_size(writeEnd, Int32(wanted))
        capacity = granted > 0 ? Int(granted) : 65536
    }

    deinit {
        close(readEnd)
        close(writeEnd)
    }

    var hasRoom: Bool { count < capacity }

    func fill(from fd: Int32) -> Int {
        let n = bp_splice(fd, writeEnd, capacity - count)
        if n > 0 { count += n }
        return n
    }

    func drain(to fd: Int32) -> Int {
        let n = bp_splice(readEnd, fd, count)
        if n > 0 { count -= n }
        return n
    }

    func discardAll() {
        var scratch = [UInt8](repeating: 0, count: 65536)
        while count > 0 {
            let n = read(readEnd, &scratch, min(count, scratch.count))
            guard n > 0 else { break }
            count -= n
        }
    }
}
#endif

/// How a direction moves bytes (`--copy`).
public enum CopyMode: String, Sendable, CaseIterable {
    /// read(2) into a user-space buffer, send(2) out.
    case buffer
    /// splice(2) through a pipe (Linux only).
    case splice

    /// splice where the platform has it.
    public static var platformDefault: CopyMode {
        #if os(Linux)
        .splice
        #else
        .buffer
        #endif
    }

    func makeQueue(capacity: Int) -> any ByteQueue {
        #if os(Linux)
        if self == .splice, let pipe = SplicePipe(capacity: capacity) { return pipe }
        #endif
        return UserBuffer(capacity: capacity)
    }
}
