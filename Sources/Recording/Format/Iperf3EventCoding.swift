import Feeds

/// An iperf3 reader event as a record body: a kind byte, then its bytes, status or message.
enum Iperf3EventCoding {
    static func write(_ event: Iperf3Reader.Event, into body: inout RecordBytes) {
        switch event {
        case .bytes(let bytes):
            body.append(byte: 0)
            body.append(varint: UInt64(bytes.count))
            body.append(contentsOf: bytes)
        case .truncated: body.append(byte: 1)
        case .waitingForFile: body.append(byte: 2)
        case .ended(nil): body.append(byte: 3)
        case .ended(.exited(let code)?):
            body.append(byte: 4)
            body.append(signed: Int64(code))
        case .ended(.signaled(let signal)?):
            body.append(byte: 5)
            body.append(signed: Int64(signal))
        case .failed(let message):
            body.append(byte: 6)
            body.append(string: message)
        }
    }

    static func read(_ cursor: inout RecordCursor) throws(RecordCursor.Malformed) -> Iperf3Reader.Event {
        switch try cursor.byte() {
        case 0: return .bytes(Array(try cursor.raw(try cursor.count())))
        case 1: return .truncated
        case 2: return .waitingForFile
        case 3: return .ended(nil)
        case 4: return .ended(.exited(Int32(truncatingIfNeeded: try cursor.signed())))
        case 5: return .ended(.signaled(Int32(truncatingIfNeeded: try cursor.signed())))
        case 6: return .failed(try cursor.string())
        default: throw RecordCursor.Malformed()
        }
    }
}
