#if canImport(Glibc)
import CSystemShims
#endif

/// How glibc's allocator should serve each program, set once at start, before any thread.
public enum HeapPolicy {
    /// Keeps freed heap in the process instead of returning it to the kernel, for a program that
    /// allocates and frees the same large buffers on every scrape (the agent's `/metrics`). glibc
    /// maps a large allocation afresh (its mmap threshold adapts upwards only so far) and trims
    /// freed heap, so every scrape of 10,000 streams faulted its pages in again: a third of its
    /// time. Allocations up to 4 MB now come from the heap and freed heap is kept, so the resident
    /// size stays at the largest scrape's, the peak it reached anyway. (bptop does the opposite on
    /// purpose: it hands freed pages back after each frame, so a bptop left open for days stays
    /// small; measured beside it, keeping them changed neither its CPU nor its peak.)
    public static func keepFreedMemory() {
        #if canImport(Glibc)
        _ = mallopt(M_MMAP_THRESHOLD, 4 << 20)
        _ = mallopt(M_TRIM_THRESHOLD, 256 << 20)
        #endif
    }

    /// Returns the heap's free pages to the kernel once more than `threshold` bytes are free,
    /// for bptop after a frame: a frame allocates and frees megabytes of query results, and a
    /// bptop left open for days should stay small. Not below the threshold: trimming after
    /// every frame made the next scrape's body and frame fault the same pages in again, 8 % of
    /// bptop's time at 64 streams.
    public static func returnFreedMemory(beyond threshold: Int) {
        #if canImport(Glibc)
        if mallinfo2().fordblks > threshold { _ = malloc_trim(0) }
        #endif
    }

    /// One heap for every thread, for bptop: glibc gives each thread that allocates its own
    /// arena, whose freed pages neither the others reuse nor `malloc_trim` of the main thread's
    /// frees, and bptop's scraper thread allocates each scrape's body in its own. Its threads
    /// rarely allocate at once, so sharing costs nothing measurable; its peak was 0.3–0.5 MB
    /// lower at 64 streams (issue 15: at most 16 MB).
    public static func shareOneArena() {
        #if canImport(Glibc)
        _ = mallopt(M_ARENA_MAX, 1)
        #endif
    }
}
