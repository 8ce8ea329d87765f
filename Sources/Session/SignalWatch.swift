#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch

/// Turns signals into a call on a dispatch queue instead of an asynchronous handler: the live
/// loop then quits through its mailbox, and the terminal is restored on the normal path.
struct SignalWatch {
    private let sources: [any DispatchSourceSignal]

    /// Ignores `signals`' default action and calls `handler` whenever one arrives.
    init(_ signals: [Int32], handler: @escaping @Sendable () -> Void) {
        sources = signals.map { sig in
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler(handler: handler)
            source.resume()
            return source
        }
    }

    func cancel() { sources.forEach { $0.cancel() } }
}
