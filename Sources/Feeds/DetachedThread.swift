#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A detached POSIX thread for the feeds' blocking loops (scrapes, iperf3 output). Foundation's
/// Thread is avoided to keep Feeds free of Foundation.
enum DetachedThread {
    private final class Body {
        let run: () -> Void
        init(_ run: @escaping () -> Void) { self.run = run }
    }

    static func start(_ run: @escaping @Sendable () -> Void) {
        let box = Unmanaged.passRetained(Body(run))
        #if canImport(Glibc)
        var tid = pthread_t()
        #else
        var tid: pthread_t?
        #endif
        pthread_create(&tid, nil, { arg in
            Unmanaged<Body>.fromOpaque(arg!).takeRetainedValue().run()
            return nil
        }, box.toOpaque())
        #if canImport(Glibc)
        pthread_detach(tid)
        #else
        if let tid { pthread_detach(tid) }
        #endif
    }
}
