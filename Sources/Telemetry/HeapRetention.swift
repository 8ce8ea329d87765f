#if canImport(Glibc)
import CSystemShims
#endif

/// Keeps freed heap in the process instead of returning it to the kernel, for programs that
/// allocate and free the same large buffers on every scrape. glibc maps a large allocation
/// afresh (its mmap threshold adapts upwards only so far) and trims freed heap, so each scrape
/// faulted its pages in again: a third of the agent's scrape of 10,000 streams, a twentieth of
/// bptop's work per scrape. Allocations up to 4 MB now come from the heap and freed heap is
/// kept, so the resident size stays at the largest scrape's (the peak it reached anyway).
public enum HeapRetention {
    public static func keepFreedMemory() {
        #if canImport(Glibc)
        _ = mallopt(M_MMAP_THRESHOLD, 4 << 20)
        _ = mallopt(M_TRIM_THRESHOLD, 256 << 20)
        #endif
    }
}
