import Telemetry

/// Parses `text` the way a scrape's bytes are parsed.
func parse(_ text: String) -> ParsedExposition {
    PrometheusTextParser.parse(text.utf8)
}

/// Shorthand for the ordered labels of an expected sample.
func labels(_ pairs: KeyValuePairs<String, String>) -> [PrometheusSample.Label] {
    pairs.map { PrometheusSample.Label($0.key, $0.value) }
}
