#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Logging
import Synchronization
import Telemetry

/// `bpagent stream`: sits between a VMM and a network helper that exchange length-prefixed
/// Ethernet frames over a unix stream socket (QEMU `-netdev stream`, passt, socket_vmnet).
///
/// The VMM connects to `listen`; for each connection the agent connects to the helper at
/// `connect` and relays frames both ways with a `DatagramRelay` over two `stream` ports, so
/// flows, counters, policies and injection are the frame relay's. One VMM at a time, as a
/// helper serves one: a second waits in the backlog until the first is gone. When either side
/// closes, the other connection is closed too (what the helper sees when the VMM exits).
public final class FrameStreamRelay: @unchecked Sendable {
    public let registry: StreamRegistry
    private let listener: Int32
    private let listenFile: UnixSocketFile?
    private let listenPath: String
    private let connectPath: String
    private let options: DatagramSocketOptions
    private let config: DatagramConfiguration
    private let logger: Logger
    private let waker: WakePipe
    private let stop = StopSignal()
    /// The connection being relayed, so `requestStop()` can reach its loop.
    private let current = Mutex<DatagramRelay?>(nil)

    public init(listen: String, connect: String, options: DatagramSocketOptions, config: DatagramConfiguration,
                registry: StreamRegistry, logger: Logger) throws(DatagramSetupError) {
        guard let waker = WakePipe() else { throw DatagramSetupError("pipe: out of descriptors") }
        self.waker = waker
        listener = try UnixStreamSocket.listening(at: listen, mode: mode_t(options.mode))
        listenFile = UnixSocketFile(boundAt: listen)
        listenPath = listen
        connectPath = connect
        self.options = options
        self.config = config
        self.registry = registry
        self.logger = logger
    }

    deinit {
        close(listener)
        listenFile?.remove()
    }

    /// Asks `run()` to return soon. Safe from any thread.
    public func requestStop() {
        stop.request()
        waker.wake()
        current.withLock { $0?.requestStop() }
    }

    /// Accepts and relays one VMM connection after another until `requestStop()`.
    public func run() {
        while !stop.isRequested {
            guard let vm = nextConnection() else { continue }
            let vmPort = FramePort(fd: vm, kind: .stream, name: listenPath)
            let helperPort: FramePort
            do {
                helperPort = FramePort(fd: try UnixStreamSocket.connected(to: connectPath), kind: .stream, name: connectPath)
            } catch {
                logger.error("\(error): closing the VMM's connection")
                continue
            }
            for port in [vmPort, helperPort] {
                let granted = SocketBuffers.set(port.fd, send: options.sendBuffer, receive: options.receiveBuffer)
                logger.info("\(port.name): SO_SNDBUF \(granted.send), SO_RCVBUF \(granted.receive) (as granted by the kernel)")
            }
            let relay: DatagramRelay
            do {
                relay = try DatagramRelay(first: vmPort, second: helperPort, config: config, registry: registry, logger: logger)
            } catch {
                logger.error("\(error): closing the VMM's connection")
                continue
            }
            current.withLock { $0 = relay }
            // A stop requested before `current` was set would not have reached this relay.
            if stop.isRequested { relay.requestStop() }
            logger.notice("a VMM connected to \(listenPath): relaying its frames to \(connectPath)")
            relay.run()
            current.withLock { $0 = nil }
            logger.notice("the connection through \(listenPath) ended")
        }
    }

    /// Waits for a VMM to connect (or for a stop request); its descriptor, or nil.
    private func nextConnection() -> Int32? {
        var fds = [pollfd(fd: listener, events: Int16(POLLIN), revents: 0),
                   pollfd(fd: waker.readFD, events: Int16(POLLIN), revents: 0)]
        _ = systemCall { poll(&fds, 2, -1) }
        if fds[1].revents != 0 { waker.drain() }
        return fds[0].revents != 0 ? UnixStreamSocket.nextConnection(on: listener) : nil
    }
}
