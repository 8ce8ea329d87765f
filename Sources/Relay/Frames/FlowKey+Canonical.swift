extension FlowKey {
    /// The key with its endpoints in a fixed order, the same for both directions of a flow:
    /// the smaller (address, port) pair becomes the source. `swapped` says whether this
    /// frame's endpoints were exchanged to get there, i.e. whether it travels from the
    /// larger endpoint to the smaller. Which side is the client is not decided here but by
    /// `FlowTable`, from the first frame it sees of the flow.
    var canonical: (key: FlowKey, swapped: Bool) {
        guard (destination, destinationPort) < (source, sourcePort) else { return (self, false) }
        var key = self
        swap(&key.source, &key.destination)
        swap(&key.sourcePort, &key.destinationPort)
        return (key, true)
    }
}
