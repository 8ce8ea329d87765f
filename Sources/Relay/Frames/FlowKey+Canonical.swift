extension FlowKey {
    /// The key with its endpoints in a fixed order, the same for both directions of a flow:
    /// the smaller (address, port) pair becomes the source. `swapped` says whether this
    /// frame's endpoints were exchanged to get there, i.e. whether it travels from the
    /// larger endpoint to the smaller. Which side is the client is not decided here but by
    /// `FlowTable`, from the first frame it sees of the flow.
    var canonical: (key: FlowKey, swapped: Bool) {
        PackedFlowKey(self).endpointsDescending ? (swappingEndpoints(), true) : (self, false)
    }

    /// The same flow seen from its other end.
    func swappingEndpoints() -> FlowKey {
        var key = self
        swap(&key.source, &key.destination)
        swap(&key.sourcePort, &key.destinationPort)
        return key
    }
}
