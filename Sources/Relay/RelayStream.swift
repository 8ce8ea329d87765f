#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Logging
import Telemetry

/// One accepted connection and its upstream connection: two pumps in opposite directions.
final class RelayStream {
    let record: StreamRecord
    let client: Int32
    let server: Int32
    let c2s: DirectionPump
    let s2c: DirectionPump
    var connecting = true
    /// What each descriptor is currently registered for, to skip redundant epoll_ctl calls.
    var clientInterest: Interest? = []
    var serverInterest: Interest? = [.write]
    var clientWriteShut = false
    var serverWriteShut = false
    /// Both sockets are closed (a retry timer may still name the stream).
    var isRetired = false

    init(record: StreamRecord, client: Int32, server: Int32, config: RelayConfiguration, stop: StopSignal? = nil) {
        self.record = record
        self.client = client
        self.server = server
        let id = record.identity.id
        c2s = DirectionPump(counters: record.c2s, label: "stream \(id) c2s", capacity: config.bufferSize,
                            copy: config.copy, policy: config.policy, injection: config.injection, stop: stop)
        s2c = DirectionPump(counters: record.s2c, label: "stream \(id) s2c", capacity: config.bufferSize,
                            copy: config.copy, policy: config.policy, injection: config.injection, stop: stop)
    }

    func pump(_ direction: Direction) -> DirectionPump { direction == .c2s ? c2s : s2c }

    /// What `fd` should be watched for now; nil once it has nothing left to do.
    func desiredInterest(of fd: Int32) -> Interest? {
        if connecting { return fd == server ? [.write] : [] }
        let (source, destination, writeShut) = fd == client ? (c2s, s2c, clientWriteShut) : (s2c, c2s, serverWriteShut)
        if source.sourceEnded && writeShut { return nil }
        var interest: Interest = []
        if source.wantsRead { interest.insert(.read) }
        if destination.wantsWrite { interest.insert(.write) }
        return interest
    }

    var isFinished: Bool { c2s.isFinished && s2c.isFinished && clientWriteShut && serverWriteShut }
}
