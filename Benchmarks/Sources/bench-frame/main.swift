// bptop's own work per scrape, in process and without a terminal: parsing and ingesting one
// scrape of 64 bpagent streams into the store, and building and drawing one 120×40 frame of
// the default dashboard over a full store (300 slots). At one scrape per second their sum
// is bptop's CPU share, which Scripts/bench-bptop measures end to end with a live agent.
//   STREAMS=64 REPS=7 FRAMES=20 Scripts/bench-micro   (prints this after the Telemetry figures)
import BenchFixtures
import Dashboard
import Foundation
import Telemetry

let env = ProcessInfo.processInfo.environment
let streams = Int(env["STREAMS"] ?? "") ?? 64
let reps = Int(env["REPS"] ?? "") ?? 7
let frames = Int(env["FRAMES"] ?? "") ?? 20

/// CPU time of this process (not wall time: the machine is shared).
func cpuSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}

func median(_ xs: [Double]) -> Double { xs.sorted()[xs.count / 2] }

let registry = loadedRegistry(streams: streams)
let records = registry.snapshot().streams.count
var data = CollectedData(names: ["agent"], capacity: UIState.windowSteps.last!)
var ingest: [Double] = []
for slot in 0..<UIState.windowSteps.last! {
    // Counters move between scrapes, as under load.
    let body = PrometheusTextWriter.render(registry.snapshot())
    let start = cpuSeconds()
    data.ingest(source: 0, body: body, at: Double(slot))
    ingest.append(cpuSeconds() - start)
}
let definition = try DashboardResolver.load("backpressure", executablePath: CommandLine.arguments[0])
let renderer = ScreenRenderer()
var frameTimes: [Double] = []
var slot = UIState.windowSteps.last!
let body = PrometheusTextWriter.render(registry.snapshot())
for _ in 0..<reps {
    var spent = 0.0
    for _ in 0..<frames {
        // A scrape between frames (not timed here), as live: each frame follows a new slot.
        data.ingest(source: 0, body: body, at: Double(slot))
        slot += 1
        let start = cpuSeconds()
        let model = ModelBuilder.build(definition: definition, store: data.store, sources: data.sources,
                                       ui: UIState(), now: Double(slot))
        withExtendedLifetime(renderer.render(model, width: 120, height: 40, symbols: .unicode)) {}
        spent += cpuSeconds() - start
    }
    frameTimes.append(spent / Double(frames))
}
let ingestMs = median(Array(ingest.suffix(100))) * 1000
let frameMs = median(frameTimes) * 1000
print("bench-frame: \(records) streams, \(data.store.seriesCount) series, 300 slots, 120×40, CPU time")
print(String(format: "  ingest one scrape  %7.2f ms", ingestMs))
print(String(format: "  build + draw frame %7.2f ms", frameMs))
print(String(format: "  at 1 scrape/s      %7.2f %% of a core (target ≤ 1 %%)", (ingestMs + frameMs) / 10))
// The process' peak resident set (ru_maxrss is in KiB on Linux): the store at 300 slots plus
// one scrape's text and parse, what bptop's own peak RSS is made of beside ncurses.
#if os(Linux)
let rusageSelf = __rusage_who_t(RUSAGE_SELF.rawValue)
#else
let rusageSelf = RUSAGE_SELF
#endif
var usage = rusage()
getrusage(rusageSelf, &usage)
print(String(format: "  peak RSS           %7.1f MB (slots %.1f MB)", Double(usage.ru_maxrss) / 1024,
             Double(data.store.slotStorageBytes) / 1_048_576))
