#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension FlowKey {
    /// The key of a UDP relay client: its address and port, as the listening socket received
    /// them (only the source is set; every datagram of the key comes from the client). Built
    /// from the socket address in place, without allocating.
    init(udpClient address: UnsafePointer<sockaddr_storage>) {
        switch Int32(address.pointee.ss_family) {
        case AF_INET:
            let a = UnsafeRawPointer(address).load(as: sockaddr_in.self)
            self.init(kind: .ipv4, ipProtocol: 17, source: .ipv4(UInt32(bigEndian: a.sin_addr.s_addr)),
                      sourcePort: UInt16(bigEndian: a.sin_port))
        case AF_INET6:
            let a = UnsafeRawPointer(address).load(as: sockaddr_in6.self)
            let (high, low) = withUnsafeBytes(of: a.sin6_addr) {
                (UInt64(bigEndian: $0.loadUnaligned(as: UInt64.self)),
                 UInt64(bigEndian: $0.loadUnaligned(fromByteOffset: 8, as: UInt64.self)))
            }
            self.init(kind: .ipv6, ipProtocol: 17, source: .ipv6(high: high, low: low),
                      sourcePort: UInt16(bigEndian: a.sin6_port))
        default:
            self.init(kind: .unknown)
        }
    }
}
