/// What a scraper's `Accept` and `Accept-Encoding` headers ask for, read as Prometheus' own
/// client libraries read them.
enum ContentNegotiation {
    /// Whether to answer `/metrics` in OpenMetrics: only when the client lists
    /// `application/openmetrics-text` (version 1.0.0, 0.0.1 or none) with a weight at least that
    /// of anything text 0.0.4 would satisfy. Prometheus sends
    /// `application/openmetrics-text;version=1.0.0,…,text/plain;version=0.0.4;q=0.5,*/*;q=0.1`;
    /// curl's `*/*` and bptop's `text/plain` get text 0.0.4.
    static func prefersOpenMetrics(_ accept: [String]) -> Bool {
        var openMetrics = 0.0, text = 0.0
        for range in accept.flatMap({ $0.split(separator: ",") }) {
            let (type, parameters) = mediaRange(range)
            let weight = Double(parameters["q"] ?? "1") ?? 0
            switch type {
            case "application/openmetrics-text" where ["1.0.0", "0.0.1", nil].contains(parameters["version"]):
                openMetrics = max(openMetrics, weight)
            case "text/plain" where ["0.0.4", nil].contains(parameters["version"]), "text/*", "*/*":
                text = max(text, weight)
            default:
                continue
            }
        }
        return openMetrics > 0 && openMetrics >= text
    }

    /// Whether the body may be gzipped: `gzip` (or `*`) listed with a non-zero weight.
    static func acceptsGzip(_ acceptEncoding: [String]) -> Bool {
        var gzip: Double?, any: Double?
        for coding in acceptEncoding.flatMap({ $0.split(separator: ",") }) {
            let (name, parameters) = mediaRange(coding)
            let weight = Double(parameters["q"] ?? "1") ?? 0
            if name == "gzip" || name == "x-gzip" { gzip = max(gzip ?? 0, weight) }
            if name == "*" { any = max(any ?? 0, weight) }
        }
        return (gzip ?? any ?? 0) > 0
    }

    /// `type/subtype;name=value;…` lower-cased and trimmed, quotes around values removed.
    private static func mediaRange(_ text: Substring) -> (String, [String: String]) {
        let parts = text.split(separator: ";").map { $0.trimmingWhitespace().lowercased() }
        var parameters: [String: String] = [:]
        for parameter in parts.dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingWhitespace() }
            guard pair.count == 2 else { continue }
            parameters[pair[0]] = pair[1].trimmingCharacters(in: "\"")
        }
        return (parts.first ?? "", parameters)
    }
}

extension StringProtocol {
    fileprivate func trimmingWhitespace() -> String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }

    fileprivate func trimmingCharacters(in set: Character) -> String {
        String(drop { $0 == set }.reversed().drop { $0 == set }.reversed())
    }
}
