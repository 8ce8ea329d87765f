#if canImport(Glibc)
import Glibc
import CSystemShims
#elseif canImport(Darwin)
import Darwin
#endif

/// A TAP network interface: the file descriptor a VMM reads its guest's Ethernet frames from
/// and writes frames for the guest to.
///
/// Opened with IFF_TAP | IFF_NO_PI, so every read and write is exactly one Ethernet frame with
/// no packet-information header, and non-blocking for the relay's event loop. The interface
/// exists while the descriptor is open (unless made persistent elsewhere) and lives in the
/// network namespace of the process that opened it: run `bpagent tap` inside the namespace
/// (`ip netns exec NS bpagent tap …`).
enum TapDevice {
    /// Opens (creating if needed) the TAP interface `name`; returns the descriptor and the
    /// name the kernel gave.
    static func open(_ name: String) throws(DatagramSetupError) -> (fd: Int32, name: String) {
        #if os(Linux)
        var actual = [CChar](repeating: 0, count: Int(bp_ifnamsiz()))
        let fd = bp_tap_open(name, &actual)
        guard fd >= 0 else {
            let code = errno
            let hint = code == EPERM || code == EACCES ? " (needs root or CAP_NET_ADMIN)"
                : code == ENOENT ? " (/dev/net/tun is missing: modprobe tun)" : ""
            throw DatagramSetupError("cannot open TAP device \(name): \(String(cString: strerror(code)))\(hint)")
        }
        let given = String(decoding: actual.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return (fd, given)
        #else
        throw DatagramSetupError("TAP devices need Linux")
        #endif
    }
}
