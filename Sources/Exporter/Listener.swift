#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NIOCore
import NIOPosix
import Telemetry

/// One bound endpoint: its listening channel and, for a unix socket, the file bind created.
struct Listener: Sendable {
    /// The endpoint as bound: for `tcp` the port the kernel chose when 0 was asked for.
    let endpoint: MetricsEndpoint
    private let channel: any Channel
    private let socketFile: UnixSocketFile?

    /// Binds `endpoint` with a fresh bootstrap from `makeBootstrap` (bootstraps are mutable,
    /// so each listener gets its own options).
    static func bind(
        _ endpoint: MetricsEndpoint, socketMode: mode_t, makeBootstrap: () -> ServerBootstrap
    ) throws(MetricsServerError) -> Listener {
        switch endpoint {
        case .tcp(let host, let port):
            let bootstrap = makeBootstrap().serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            let channel: any Channel
            do {
                channel = try bootstrap.bind(host: host, port: port).wait()
            } catch {
                throw MetricsServerError(endpoint, bindError: error)
            }
            let bound = MetricsEndpoint.tcp(host: host, port: channel.localAddress?.port ?? port)
            return Listener(endpoint: bound, channel: channel, socketFile: nil)
        case .unix(let path):
            try UnixSocketPath.prepareForBind(path)
            let channel: any Channel
            do {
                channel = try FileCreationMask.withMode(socketMode) {
                    try makeBootstrap().bind(unixDomainSocketPath: path).wait()
                }
            } catch {
                throw MetricsServerError(endpoint, bindError: error)
            }
            let listener = Listener(endpoint: endpoint, channel: channel, socketFile: UnixSocketFile(boundAt: path))
            // The umask already gave this mode; chmod keeps it exact even if other code in the
            // process changed the umask without going through FileCreationMask.
            guard chmod(path, socketMode) == 0 else {
                let reason = "cannot set mode \(String(socketMode, radix: 8)): \(errnoMessage(errno))"
                listener.close()
                throw MetricsServerError(endpoint, reason)
            }
            return listener
        }
    }

    /// Stops accepting and removes the socket file if it is still ours.
    func close() {
        try? channel.close().wait()
        socketFile?.remove()
    }
}
