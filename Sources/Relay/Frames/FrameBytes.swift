/// Big-endian reads from one frame.
///
/// Every read checks its bounds and traps rather than read past the frame; the parser checks
/// lengths before reading, so the traps only fire on a parser bug (the fuzz tests prove none
/// do). Loads are unaligned because headers sit at any offset after VLAN tags and options.
struct FrameBytes {
    let buffer: UnsafeRawBufferPointer

    var count: Int { buffer.count }

    /// Whether `length` bytes starting at `offset` end at or before `end`.
    @inline(__always)
    func has(_ length: Int, at offset: Int, end: Int) -> Bool {
        offset >= 0 && length <= end - offset
    }

    @inline(__always)
    func u8(_ offset: Int) -> UInt8 { load(offset, as: UInt8.self) }
    @inline(__always)
    func u16(_ offset: Int) -> UInt16 { UInt16(bigEndian: load(offset, as: UInt16.self)) }
    @inline(__always)
    func u32(_ offset: Int) -> UInt32 { UInt32(bigEndian: load(offset, as: UInt32.self)) }
    @inline(__always)
    func u64(_ offset: Int) -> UInt64 { UInt64(bigEndian: load(offset, as: UInt64.self)) }

    @inline(__always)
    private func load<T: FixedWidthInteger>(_ offset: Int, as type: T.Type) -> T {
        precondition(offset >= 0 && offset <= buffer.count - MemoryLayout<T>.size, "read past the frame")
        return buffer.loadUnaligned(fromByteOffset: offset, as: type)
    }
}
