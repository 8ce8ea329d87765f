import Telemetry

/// Fills `{label}` placeholders of dashboard text ("{local} → {peer}") from label sets,
/// trying each in turn; `{__series__}` is the first set's series as `name{labels}`. A label
/// found nowhere becomes empty, so a missing info series shows blanks rather than braces.
enum LabelTemplate {
    static let seriesPlaceholder = "__series__"

    static func fill(_ template: String, from sets: [[PrometheusSample.Label]], includeSource: Bool) -> String {
        var out = ""
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            out += rest[..<open]
            let name = String(rest[rest.index(after: open)..<close])
            if name == seriesPlaceholder {
                out += QueryResult(labels: sets.first ?? [], values: []).seriesDescription(includeSource: includeSource)
            } else {
                out += sets.lazy.compactMap { $0.first { $0.name == name }?.value }.first ?? ""
            }
            rest = rest[rest.index(after: close)...]
        }
        return out + rest
    }
}
