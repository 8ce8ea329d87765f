import Telemetry

/// Computes one frame's `ScreenModel` from the store, the dashboard and the UI state. Pure:
/// the same inputs give the same screen, which is what the snapshot tests rely on.
public enum ModelBuilder {
    public static func build(definition: DashboardDefinition, store: TimeSeriesStore, sources: [SourceStatus],
                             ui: UIState, now: Double, iperf3: Iperf3Feed? = nil) -> ScreenModel {
        let memo = QueryMemo(store: store)
        let context = FrameContext(memo: memo, ui: ui, multipleSources: sources.count > 1 || store.hasSeveralInstances, now: now)
        // Tables first: a focused row's labels restrict the charts' focus queries. A row may stand
        // for several series sets (an iperf3 stream and the agent stream that carried it).
        var focusLabels: [[PrometheusSample.Label]]?
        var tables: [Int: (title: String, table: TableModel)] = [:]
        for (i, panel) in definition.panels.enumerated() {
            var rowLabels: [String: [[PrometheusSample.Label]]]
            switch panel.kind {
            case .table(let table):
                let (model, labels) = TableBuilder(definition: table, memo: memo, ui: ui,
                                                   multipleSources: context.multipleSources).build()
                tables[i] = (panel.title, model)
                rowLabels = labels.mapValues { [$0] }
            case .iperf3(let columns):
                let built = Iperf3PanelBuilder(columns: columns, feed: iperf3, lookup: AgentLookup(memo: memo), ui: ui)
                    .build(title: panel.title)
                tables[i] = (built.title, built.table)
                rowLabels = built.focus
            default: continue
            }
            if let focused = ui.focusedStream, focusLabels == nil { focusLabels = rowLabels[focused] }
        }
        let panels = definition.panels.enumerated().map { i, panel -> PanelModel in
            let content: PanelModel.Content
            switch panel.kind {
            case .table, .iperf3: return PanelModel(title: tables[i]!.title, content: .table(tables[i]!.table), placement: panel.placement)
            case .chart(let chart): content = .chart(context.chart(chart, focus: focusLabels ?? []))
            case .stats(let stats): content = .stats(stats.map(context.stat))
            case .text(let text): content = .text(text)
            }
            return PanelModel(title: panel.title, content: content, placement: panel.placement)
        }
        let withUptime = sources.map { source -> SourceStatus in
            var s = source
            if s.uptimeSeconds == nil, let start = store.startTime(of: s.name) { s.uptimeSeconds = now - start }
            return s
        }
        return ScreenModel(header: HeaderModel(title: definition.title, sources: withUptime,
                                               stats: definition.header.map(context.stat)),
                           panels: panels, showHelp: ui.showHelp, paused: ui.paused, status: ui.status)
    }
}

/// What every panel of one frame evaluates against.
struct FrameContext {
    let memo: QueryMemo
    let ui: UIState
    let multipleSources: Bool
    /// The wall-clock time of this frame: the charts' right edge.
    let now: Double

    /// The stat's query reduced to one number (results summed when there are several),
    /// coloured by the highest threshold it reaches.
    func stat(_ stat: StatDefinition) -> Stat {
        let span = stat.value.span(window: ui.windowSlots)
        let reduced = memo.evaluate(stat.query, slots: span.slots, perSlot: span.perSlot).compactMap(stat.value.apply)
        let value = reduced.isEmpty ? nil : reduced.reduce(0, +)
        let color = value.flatMap { v in stat.thresholds.filter { v >= $0.value }.max { $0.value < $1.value }?.color }
        return Stat(label: stat.label, value: value, unit: ui.shown(stat.unit), color: color ?? stat.color)
    }

    /// `focus`: the focused row's label sets; each focus query is drawn for each set that selects
    /// something (an iperf3 query finds nothing in the agent's set).
    func chart(_ chart: ChartDefinition, focus: [[PrometheusSample.Label]]) -> ChartModel {
        var series = chart.queries.flatMap { lines($0, extra: [:]) }
        for labels in focus {
            let extra = Dictionary(labels.map { ($0.name, LabelMatcher(rawValue: $0.value)) }) { a, _ in a }
            series += chart.focus.flatMap { lines($0, extra: extra) }
        }
        let markers = chart.markers.map { query -> [Double] in
            memo.evaluate(query, slots: ui.windowSlots).flatMap { result in
                zip(result.values, times(of: result, query)).compactMap { value, time in (value ?? 0) > 0 ? time : nil }
            }
        } ?? []
        let notes = chart.notes.map { note -> String in
            let s = stat(note)
            return "\(s.label) \(ValueFormatter.string(s.value, unit: s.unit))"
        }
        let slot = slotSeconds
        // The window once it is full; before that, the data there is (never a chart mostly empty).
        let oldest = series.flatMap { zip($0.values, $0.times).compactMap { $0 == nil ? nil : $1 } }.min()
        let window = Double(ui.windowSlots - 1) * slot
        let span = oldest.map { min(window, max(now - $0, slot)) } ?? window
        return ChartModel(unit: ui.shown(chart.unit), series: series, markers: markers, slotSeconds: slot,
                          now: now, spanSeconds: span, note: notes.isEmpty ? nil : notes.joined(separator: ", "))
    }

    /// The wall-clock times of a result's slots: those of its source's scrapes (a result summed
    /// across sources takes the first source's, at most one interval off for the others).
    private func times(of result: QueryResult, _ query: Query) -> [Double] {
        let source = result[label: TimeSeriesStore.sourceLabel] ?? memo.store.firstSource(having: query.metric)
        return source.map { memo.store.slotTimes(of: $0, count: result.values.count) }
            ?? Array(repeating: -.infinity, count: result.values.count)
    }

    /// One chart line per result; the focus labels are added as matchers the query does not
    /// already have (a `dir` the query fixes stays fixed).
    private func lines(_ named: NamedQuery, extra: [String: LabelMatcher]) -> [ChartSeries] {
        var query = named.query
        query.matchers.merge(extra) { own, _ in own }
        let results = memo.evaluate(query, slots: ui.windowSlots)
        let palette = ColorName.allCases.filter { $0 != .default }
        let start = palette.firstIndex(of: named.color) ?? 0
        return results.enumerated().map { i, result in
            // A label the row lacks (a `[SUM]` row has no `stream`) leaves no double space.
            let name = LabelTemplate.fill(named.name, from: [result.labels, extra.map { .init($0.key, $0.value.rawValue) }],
                                          includeSource: multipleSources).split(separator: " ").joined(separator: " ")
            let color = results.count == 1 ? named.color : palette[(start + i) % palette.count]
            return ChartSeries(name: name, values: result.values, times: times(of: result, query), color: color)
        }
    }

    /// The median gap between the newest scrapes of the first source (1 s before any data).
    private var slotSeconds: Double {
        guard let source = memo.store.sourceNames.first, let times = memo.store.sources[source]?.times.suffix(ui.windowSlots + 1),
              times.count >= 2 else { return 1 }
        let gaps = zip(times.dropFirst(), times).map { $0 - $1 }.sorted()
        return gaps[gaps.count / 2]
    }
}
