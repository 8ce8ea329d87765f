/// The rules that tie `# HELP` and `# TYPE` lines to samples, as Prometheus' reference parser
/// (prometheus/common `expfmt`) applies them: one HELP and one TYPE per family, a TYPE only
/// before the family's first sample (a later one would retype samples already read), and a
/// line about `foo_count` or `foo_sum` (or `foo_bucket`) speaking of the summary (histogram)
/// `foo` once that is declared. Samples are typed by the declarations of the whole scrape, so
/// a TYPE that would claim series already read (`foo_count` for the summary `foo`, `foo_total`
/// for the counter `foo`) counts as after the samples too, where the reference would leave
/// them in a family of their own.
struct FamilyDeclarations {
    /// Families with a `# TYPE` line.
    private var typed: Set<String> = []
    /// Families with samples, named as the samples resolved them.
    private var sampled: Set<String> = []
    /// Samples come in runs of one name: a run costs one lookup.
    private var lastSampleName: String?

    /// A sample named `name` was read.
    mutating func noteSample(named name: String, in exposition: ParsedExposition) {
        guard name != lastSampleName else { return }
        lastSampleName = name
        sampled.insert(exposition.family(ofSampleNamed: name).name)
    }

    mutating func declare(_ type: MetricType, of name: String, in exposition: inout ParsedExposition) throws(Malformed) {
        let family = target(of: name, in: exposition)
        guard !typed.contains(family) else { throw Malformed("second TYPE line for a metric") }
        let claimed = [family] + (type.partSuffixes + (type == .counter ? ["_total"] : [])).map { family + $0 }
        guard !claimed.contains(where: sampled.contains) else { throw Malformed("TYPE line after the metric's samples") }
        typed.insert(family)
        exposition.families[family, default: MetricFamily(name: family)].type = type
    }

    func declare(help: String, of name: String, in exposition: inout ParsedExposition) throws(Malformed) {
        let family = target(of: name, in: exposition)
        guard exposition.families[family]?.help == nil else { throw Malformed("second HELP line for a metric") }
        exposition.families[family, default: MetricFamily(name: family)].help = help
    }

    /// The family a HELP or TYPE line for `name` speaks of: the family of that name if one was
    /// declared or has samples, else the summary or histogram `name` is a part of, else a new one.
    private func target(of name: String, in exposition: ParsedExposition) -> String {
        if exposition.families[name] != nil || sampled.contains(name) { return name }
        return exposition.family(ofPart: name)?.name ?? name
    }
}
