#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The process figures node_exporter users expect from every exporter (`process_*`), read
/// the way Prometheus' client libraries read them.
public struct ProcessSnapshot: Equatable, Sendable {
    /// User plus system CPU time.
    public var cpuMicros: UInt64
    public var residentBytes: UInt64
    public var virtualBytes: UInt64
    public var openFDs: UInt64
    /// The soft limit on open file descriptors.
    public var maxFDs: UInt64
    /// Seconds since the Unix epoch, microsecond resolution.
    public var startTimeMicros: UInt64

    public init(cpuMicros: UInt64, residentBytes: UInt64, virtualBytes: UInt64, openFDs: UInt64, maxFDs: UInt64,
                startTimeMicros: UInt64) {
        self.cpuMicros = cpuMicros
        self.residentBytes = residentBytes
        self.virtualBytes = virtualBytes
        self.openFDs = openFDs
        self.maxFDs = maxFDs
        self.startTimeMicros = startTimeMicros
    }
}

#if os(Linux)
extension ProcessSnapshot {
    /// This process now, from `/proc/self/stat`, `/proc/stat` (boot time) and `/proc/self/fd`;
    /// nil when `/proc` cannot be read.
    public static func current() -> ProcessSnapshot? {
        guard let stat = FileBytes.read("/proc/self/stat"), let fields = statFields(stat),
              fields.count > 21, let boot = bootTimeSeconds() else { return nil }
        let ticks = UInt64(max(sysconf(Int32(_SC_CLK_TCK)), 1))
        let page = UInt64(max(sysconf(Int32(_SC_PAGESIZE)), 1))
        // Fields after the command, counted from `state` (field 3 of proc(5)) as index 0.
        let utime = fields[11], stime = fields[12], start = fields[19], vsize = fields[20], rss = fields[21]
        var limit = rlimit()
        getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        return ProcessSnapshot(
            cpuMicros: (utime + stime) * 1_000_000 / ticks, residentBytes: rss * page, virtualBytes: vsize,
            openFDs: openDescriptors(), maxFDs: UInt64(limit.rlim_cur),
            startTimeMicros: boot * 1_000_000 + start * 1_000_000 / ticks)
    }

    /// The numeric fields of `/proc/self/stat` after the command name, which is in
    /// parentheses and may itself hold spaces and parentheses (hence the last `)`).
    static func statFields(_ bytes: [UInt8]) -> [UInt64]? {
        guard let close = bytes.lastIndex(of: UInt8(ascii: ")")) else { return nil }
        return bytes[(close + 1)...].split(separator: UInt8(ascii: " ")).map { field in
            field.reduce(UInt64(0)) { value, digit in
                (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(digit) ? value &* 10 &+ UInt64(digit - 48) : value
            }
        }
    }

    private static func bootTimeSeconds() -> UInt64? {
        guard let bytes = FileBytes.read("/proc/stat") else { return nil }
        for line in bytes.split(separator: UInt8(ascii: "\n")) where line.starts(with: Array("btime ".utf8)) {
            return UInt64(String(decoding: line.dropFirst(6), as: UTF8.self))
        }
        return nil
    }

    private static func openDescriptors() -> UInt64 {
        guard let dir = opendir("/proc/self/fd") else { return 0 }
        defer { closedir(dir) }
        var count: UInt64 = 0
        while let entry = readdir(dir) {
            if entry.pointee.d_name.0 != UInt8(ascii: ".") { count += 1 }
        }
        // The descriptor opendir holds is not the process's own.
        return count - 1
    }
}
#else
extension ProcessSnapshot {
    /// Only Linux has `/proc`; elsewhere the process families are left out.
    public static func current() -> ProcessSnapshot? { nil }
}
#endif
