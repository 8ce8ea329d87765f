import Synchronization

extension Atomic where Value == UInt64 {
    /// Adds `amount` assuming this thread is the only writer.
    ///
    /// Every counter in this module has exactly one writer (the relay thread that owns the
    /// stream) and any number of readers (exporters taking snapshots). A relaxed load plus a
    /// relaxed store is then exact and avoids the locked read-modify-write of `wrappingAdd`.
    @inlinable
    public func singleWriterAdd(_ amount: UInt64) {
        store(load(ordering: .relaxed) &+ amount, ordering: .relaxed)
    }

    /// Raises the value to `candidate` if it is larger (single writer, see `singleWriterAdd`).
    @inlinable
    public func singleWriterMax(_ candidate: UInt64) {
        if candidate > load(ordering: .relaxed) { store(candidate, ordering: .relaxed) }
    }

    @inlinable
    public var relaxed: UInt64 { load(ordering: .relaxed) }
}
