import Telemetry

/// Parses `text` the way a scrape's bytes are parsed.
func parse(_ text: String) -> ParsedExposition {
    PrometheusTextParser.parse(text.utf8)
}

/// Shorthand for the ordered labels of an expected sample.
func labels(_ pairs: KeyValuePairs<String, String>) -> [PrometheusSample.Label] {
    pairs.map { PrometheusSample.Label($0.key, $0.value) }
}

/// SplitMix64: a tiny generator whose sequence depends only on the seed, so a failing
/// fuzz round can be replayed.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
