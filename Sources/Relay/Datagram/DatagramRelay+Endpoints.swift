#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Logging
import Telemetry

/// The unix socket side of a frame endpoint: bound at a path a peer sends to (`--listen`),
/// or connected to a peer's path (`--connect`, from our own `--bind` path or an auto-bound name).
public enum DatagramSocketRole: Sendable {
    case listen(path: String)
    case connect(path: String, bindPath: String?)
}

/// Socket options shared by every datagram endpoint.
public struct DatagramSocketOptions: Sendable {
    public var sendBuffer: Int
    public var receiveBuffer: Int
    /// File mode of socket files the agent binds.
    public var mode: UInt32

    public init(sendBuffer: Int, receiveBuffer: Int, mode: UInt32) {
        self.sendBuffer = sendBuffer
        self.receiveBuffer = receiveBuffer
        self.mode = mode
    }
}

extension DatagramRelay {
    /// `bpagent unixgram`: the VMM sends to `listen`; frames are relayed to the helper at
    /// `connect` from a socket bound at `bindPath` (auto-bound without one) and back.
    public static func unixgram(listen: String, connect: String, bindPath: String?, options: DatagramSocketOptions,
                                config: DatagramConfiguration, registry: StreamRegistry,
                                logger: Logger) throws(DatagramSetupError) -> DatagramRelay {
        let vm = try makePort(.listen(path: listen), options, logger)
        let helper = try makePort(.connect(path: connect, bindPath: bindPath), options, logger)
        return try DatagramRelay(first: vm, second: helper, config: config, registry: registry, logger: logger)
    }

    /// `bpagent tap`: frames between the TAP interface `tap` and a unix datagram socket.
    public static func tap(_ tap: String, socket role: DatagramSocketRole, options: DatagramSocketOptions,
                           config: DatagramConfiguration, registry: StreamRegistry,
                           logger: Logger) throws(DatagramSetupError) -> DatagramRelay {
        let device = try TapDevice.open(tap)
        let guest = FramePort(fd: device.fd, kind: .tap, name: device.name)
        let socket = try makePort(role, options, logger)
        return try DatagramRelay(first: guest, second: socket, config: config, registry: registry, logger: logger)
    }

    private static func makePort(_ role: DatagramSocketRole, _ options: DatagramSocketOptions,
                                 _ logger: Logger) throws(DatagramSetupError) -> FramePort {
        let port: FramePort
        switch role {
        case .listen(let path):
            port = FramePort(fd: try UnixDatagramSocket.bound(to: path, mode: mode_t(options.mode)), kind: .listening, name: path,
                             boundPath: path)
        case .connect(let path, let bindPath):
            let fd = try UnixDatagramSocket.bound(to: bindPath, mode: mode_t(options.mode))
            port = FramePort(fd: fd, kind: .connected, name: path, target: UnixDatagramSocket.address(path), boundPath: bindPath)
            try UnixDatagramSocket.connectSocket(fd, to: path)
        }
        let granted = SocketBuffers.set(port.fd, send: options.sendBuffer, receive: options.receiveBuffer)
        logger.info("\(port.name): SO_SNDBUF \(granted.send), SO_RCVBUF \(granted.receive) (as granted by the kernel)")
        return port
    }
}
