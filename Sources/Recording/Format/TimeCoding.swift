/// Times are wall-clock seconds as bptop computed them (microseconds ÷ 10⁶). Each is written as
/// the change in microseconds from the previous record's time — usually a few bytes — and
/// exactly: a time that is not a whole number of microseconds is written as its 8 bytes.
struct TimeCoding {
    private var previousMicros: Int64 = 0

    mutating func write(_ time: Double, into out: inout RecordBytes) {
        let micros = (time * 1e6).rounded()
        if micros.magnitude < 9e15, Double(Int64(micros)) / 1e6 == time {
            let m = Int64(micros)
            out.append(varint: UInt64(bitPattern: ((m &- previousMicros) << 1) ^ ((m &- previousMicros) >> 63)) << 1)
            previousMicros = m
        } else {
            out.append(varint: 1)
            out.append(double: time)
        }
    }

    mutating func read(_ cursor: inout RecordCursor) throws(RecordCursor.Malformed) -> Double {
        let v = try cursor.varint()
        if v & 1 == 1 { return try cursor.double() }
        let zigzag = v >> 1
        let delta = Int64(bitPattern: zigzag >> 1) ^ -Int64(bitPattern: zigzag & 1)
        previousMicros = previousMicros &+ delta
        return Double(previousMicros) / 1e6
    }
}
