import Telemetry

/// Which `sumBy` group each selected series falls in, and the groups in the order results are
/// shown in. It depends only on which series a query selects, so it is worked out once per
/// layout of the store (`LayoutPlans`) instead of every frame: filtering and hashing every
/// series' labels each frame was most of a grouped query's cost, the sums themselves little.
struct GroupPlan: Sendable {
    /// The groups' labels, in label order (`LabelSet.precedes`).
    let labels: [LabelSet]
    /// Per selected series (in selection order), the index of its group in `labels`.
    let groupOf: [Int]
    /// Every series is of one source and has no timestamps of its own: a slot's sums, once
    /// made, never change while the layout stays (see `RunningGroups`).
    let steady: Bool

    /// `members`: the labels of each selected series, in selection order; `steady` as above.
    init(_ members: [LabelSet], by sumBy: [String], steady: Bool) {
        self.steady = steady
        var seen: [LabelSet] = []
        var index: [LabelSet: Int] = [:]
        var member: [Int] = []
        member.reserveCapacity(members.count)
        for labels in members {
            let key = labels.filter { sumBy.contains($0.name) }
            if let g = index[key] {
                member.append(g)
            } else {
                index[key] = seen.count
                member.append(seen.count)
                seen.append(key)
            }
        }
        // Stable: groups that compare equal keep the order they first appeared in.
        let order = seen.indices.sorted { seen[$0].precedes(seen[$1]) || (!seen[$1].precedes(seen[$0]) && $0 < $1) }
        var rank = [Int](repeating: 0, count: seen.count)
        for (position, g) in order.enumerated() { rank[g] = position }
        labels = order.map { seen[$0] }
        groupOf = member.map { rank[$0] }
    }
}

/// Where each bucket series of a histogram query goes: its histogram group (by `sumBy`, without
/// `le`) and its bucket within it (by the `le` text). Like `GroupPlan`, made once per layout.
/// Groups and buckets are in the order they first appear; `SeriesSum.quantiles` sorts the
/// groups, `HistogramQuantile` the buckets.
struct HistogramPlan: Sendable {
    struct Group: Sendable {
        let labels: LabelSet
        /// Each bucket's bound.
        var les: [Double] = []
    }

    let groups: [Group]
    /// Per bucket series (in selection order): its group and bucket, or nil for a series
    /// without a numeric `le`, which belongs to no bucket.
    let places: [(group: Int, bucket: Int)?]
    /// Where each group's buckets begin among all groups' buckets, one after another.
    let firstBucket: [Int]
    let bucketCount: Int
    /// As `GroupPlan.steady`: one source, no timestamps of their own.
    let steady: Bool

    /// Without `sumBy` every series is a bucket of its own; with it, series with equal `sumBy`
    /// labels and equal `le` text sum into one bucket.
    /// `members`: the labels of each bucket series, in selection order.
    init(_ members: [LabelSet], sumBy: [String]?, steady: Bool = false) {
        self.steady = steady
        var groups: [Group] = []
        var byLe: [[String: Int]] = []
        var index: [LabelSet: Int] = [:]
        var places: [(group: Int, bucket: Int)?] = []
        places.reserveCapacity(members.count)
        for memberLabels in members {
            guard let text = memberLabels.value(of: "le") else {
                places.append(nil)
                continue
            }
            // Summed over everything (`sumBy` []): one group, no labels to filter.
            let labels = sumBy?.isEmpty == true ? [] : memberLabels.filter { $0.name != "le" && (sumBy?.contains($0.name) ?? true) }
            let found = index[labels]
            if sumBy != nil, let g = found, let b = byLe[g][text] {
                places.append((g, b))
                continue
            }
            // A new bucket: its bound is read once.
            guard let le = Double(text) else {
                places.append(nil)
                continue
            }
            let g = found ?? {
                index[labels] = groups.count
                groups.append(Group(labels: labels))
                byLe.append([:])
                return groups.count - 1
            }()
            byLe[g][text] = groups[g].les.count
            places.append((g, groups[g].les.count))
            groups[g].les.append(le)
        }
        self.groups = groups
        self.places = places
        var first = 0
        firstBucket = groups.map { group in
            defer { first += group.les.count }
            return first
        }
        bucketCount = first
    }
}

/// A grouped query's per-slot sums as of its source's slot `newestSlot`: the next frame moves
/// them on by the slots scraped since and adds only those. Past slots never change while the
/// layout stays (a new or evicted series, a type or a series' first timestamp renews it).
struct RunningGroups: Sendable {
    /// What the sums were made for: the query over so many slots, so many of them per slot.
    struct Evaluation: Hashable, Sendable {
        let query: Query
        let slots: Int
        let valueSlots: Int
    }

    let newestSlot: Int
    var groups: [Combined]
}
