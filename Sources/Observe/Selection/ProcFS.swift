#if canImport(Glibc)
import Glibc

/// What /proc tells about processes and the sockets they hold.
enum ProcFS {
    /// The inodes of the sockets process `pid` holds (`/proc/PID/fd/N` → `socket:[INODE]`),
    /// or nil when the process is gone.
    static func socketInodes(of pid: Int32) -> Set<UInt64>? {
        var inodes = Set<UInt64>()
        let complete = eachSocket(in: "/proc/\(pid)/fd") { inodes.insert($0) }
        return complete ? inodes : nil
    }

    /// Whether `/proc/PID` exists (a zombie counts as gone once its descriptors are closed).
    static func isRunning(_ pid: Int32) -> Bool {
        guard let state = read("/proc/\(pid)/stat"), let close = state.lastIndex(of: ")") else { return false }
        let fields = state[state.index(after: close)...].split(separator: " ")
        return fields.first.map { $0 != "Z" && $0 != "X" } ?? false
    }

    /// The process's command name (`/proc/PID/comm`), "" when it is gone.
    static func command(of pid: Int32) -> String {
        read("/proc/\(pid)/comm").map { String($0.prefix { $0 != "\n" }) } ?? ""
    }

    /// Which process holds each of `inodes`, by one walk over every process's descriptors;
    /// an inode nobody holds is left out.
    static func owners(of inodes: Set<UInt64>) -> [UInt64: Int32] {
        var found: [UInt64: Int32] = [:]
        guard let proc = opendir("/proc") else { return found }
        defer { closedir(proc) }
        while found.count < inodes.count, let entry = readdir(proc) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            guard let pid = Int32(name) else { continue }
            _ = eachSocket(in: "/proc/\(pid)/fd") { inode in
                if inodes.contains(inode), found[inode] == nil { found[inode] = pid }
            }
        }
        return found
    }

    /// Calls `visit` with the inode of every socket descriptor in `directory`; false when the
    /// directory cannot be read (the process is gone, or not ours to read).
    private static func eachSocket(in directory: String, _ visit: (UInt64) -> Void) -> Bool {
        guard let dir = opendir(directory) else { return false }
        defer { closedir(dir) }
        var link = [CChar](repeating: 0, count: 64)
        while let entry = readdir(dir) {
            let n = withUnsafeBytes(of: entry.pointee.d_name) { name -> Int in
                guard name[0] != UInt8(ascii: ".") else { return -1 }
                return name.withMemoryRebound(to: CChar.self) { readlinkat(dirfd(dir), $0.baseAddress!, &link, link.count - 1) }
            }
            guard n > 8 else { continue }
            // "socket:[12345]"
            let text = link.prefix(n).map { UInt8(bitPattern: $0) }
            guard text.starts(with: Array("socket:[".utf8)), text.last == UInt8(ascii: "]") else { continue }
            var inode: UInt64 = 0
            for digit in text.dropFirst(8).dropLast() { inode = inode * 10 + UInt64(digit &- 48) }
            visit(inode)
        }
        return true
    }

    private static func read(_ path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
        return n > 0 ? String(decoding: buffer.prefix(n), as: UTF8.self) : nil
    }

    /// What /proc/net/sockstat{,6} count of TCP sockets (this network namespace): they change
    /// when a TCP socket opens or closes.
    struct TCPSocketCounts: Equatable {
        /// `TCP: inuse` and `TCP6: inuse`: sockets of each family in the tables (nil when the
        /// file cannot be read: then the family is not known to be empty).
        var ipv4: UInt64?
        var ipv6: UInt64?
        /// `TCP: alloc`: every TCP socket allocated.
        var allocated: UInt64?
    }

    static func tcpSocketCounts() -> TCPSocketCounts {
        var counts = TCPSocketCounts()
        for file in ["/proc/net/sockstat", "/proc/net/sockstat6"] {
            guard let text = read(file) else { continue }
            for line in text.split(separator: "\n") where line.hasPrefix("TCP") {
                let words = line.split(separator: " ")
                for (i, word) in words.enumerated() where i + 1 < words.count {
                    let value = UInt64(words[i + 1])
                    switch (words[0], word) {
                    case ("TCP:", "inuse"): counts.ipv4 = value
                    case ("TCP:", "alloc"): counts.allocated = value
                    case ("TCP6:", "inuse"): counts.ipv6 = value
                    default: break
                    }
                }
            }
        }
        return counts
    }

    /// `net.unix.max_dgram_qlen`: the datagrams a unix socket made now may queue before a sender gets EAGAIN.
    static func maxDatagramQueue() -> UInt64 {
        read("/proc/sys/net/unix/max_dgram_qlen").flatMap { UInt64($0.prefix { $0 != "\n" }) } ?? 10
    }
}
#endif
